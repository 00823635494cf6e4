import { foldText } from '../text.js';

/**
 * Matching what people type ("pabellon a 3er piso") against the campus catalog
 * ("Pabellón A – Piso 3"): accent- and case-insensitive, word order free, Spanish
 * ordinals folded to numbers. Catalogs are small (hundreds to a few thousand places),
 * so this scores every location in memory.
 */
export interface LocationLike {
  code: string;
  name: string;
  building: string;
  floor: string;
}

export interface LocationMatch<T extends LocationLike> {
  valid: boolean;
  location?: T;
  suggestions: T[];
}

const STOP_WORDS = new Set(['de', 'del', 'la', 'el', 'los', 'las', 'en', 'y', 'al']);
const ORDINAL_WORDS: Record<string, string> = {
  primer: '1', primero: '1', primera: '1', segundo: '2', segunda: '2', tercer: '3', tercero: '3',
  tercera: '3', cuarto: '4', cuarta: '4', quinto: '5', quinta: '5', sexto: '6', sexta: '6',
  septimo: '7', septima: '7', octavo: '8', octava: '8', noveno: '9', novena: '9', decimo: '10', decima: '10',
};
const NUMERIC_ORDINAL = /^(\d+)(?:er|ero|era|ro|ra|do|da|to|ta|vo|va|no|na|mo|ma|o|a)$/;

export function searchTokens(value: string): string[] {
  return foldText(value.replace(/[°ºª]/g, ''))
    .split(' ')
    .filter((token) => token.length > 0 && !STOP_WORDS.has(token))
    .map((token) => ORDINAL_WORDS[token] ?? token.replace(NUMERIC_ORDINAL, '$1'));
}

interface Scored<T> {
  location: T;
  score: number;
  unmatchedNameTokens: number;
}

function scoreLocation<T extends LocationLike>(query: string[], location: T): Scored<T> {
  const nameTokens = searchTokens(location.name);
  const haystack = new Set([
    ...nameTokens,
    ...searchTokens(location.code),
    ...searchTokens(location.building),
    ...searchTokens(`piso ${location.floor}`),
    foldText(location.code).replace(/ /g, ''),
  ]);
  let score = 0;
  const matched = new Set<string>();
  for (const token of query) {
    if (haystack.has(token)) {
      score += 1;
      matched.add(token);
    } else if (token.length >= 3) {
      const prefixed = [...haystack].find((candidate) => candidate.startsWith(token));
      if (prefixed) {
        score += 0.8;
        matched.add(prefixed);
      }
    }
  }
  return {
    location,
    score: score / query.length,
    unmatchedNameTokens: nameTokens.filter((token) => !matched.has(token)).length,
  };
}

export function suggestLocations<T extends LocationLike>(text: string, locations: readonly T[], limit = 5): T[] {
  const query = searchTokens(text);
  if (query.length === 0) return [];
  return locations
    .map((location) => scoreLocation(query, location))
    .filter((scored) => scored.score >= 0.5)
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.unmatchedNameTokens - b.unmatchedNameTokens ||
        a.location.code.localeCompare(b.location.code),
    )
    .slice(0, limit)
    .map((scored) => scored.location);
}

/**
 * Resolves a location code or free text. `valid` means the input names one catalog
 * location exactly (its code, case-insensitive, or its name up to accents and case);
 * otherwise the closest locations come back as suggestions.
 */
export function matchLocation<T extends LocationLike>(
  input: { locationCode?: string; locationText?: string },
  locations: readonly T[],
): LocationMatch<T> {
  const code = input.locationCode?.trim().toLowerCase();
  const byCode = code ? locations.find((location) => location.code.toLowerCase() === code) : undefined;
  if (byCode) return { valid: true, location: byCode, suggestions: [] };

  const text = input.locationText ?? '';
  const folded = foldText(text);
  const byName = folded
    ? locations.find((location) => foldText(location.name) === folded || foldText(location.code) === folded)
    : undefined;
  if (byName) return { valid: true, location: byName, suggestions: [] };

  const query = [input.locationCode, input.locationText].filter(Boolean).join(' ');
  const suggestions = suggestLocations(query, locations);
  // A wrong code must not drown out text that does describe a place.
  if (suggestions.length === 0 && input.locationCode && text) return { valid: false, suggestions: suggestLocations(text, locations) };
  return { valid: false, suggestions };
}
