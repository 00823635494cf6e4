import { useSyncExternalStore } from 'react';
import { en, enCategoryNames } from './en.js';
import { es, type MessageKey } from './es.js';
import { formatMessage, type Vars } from './format.js';

/**
 * Translations without a library: one typed dictionary per language (Spanish is the
 * source; English must have every key, or the build fails). Placeholders are `{name}`;
 * counts use plural blocks, `{n, plural, one {# lugar} other {# lugares}}` (format.ts).
 */
export type Lang = 'es' | 'en';
export type { MessageKey };

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { es, en };
// Names of catalog entries (categories) that have a translation; otherwise the server's.
const CATALOG_NAMES: Record<Lang, Record<string, string>> = { es: {}, en: enCategoryNames };
const LOCALES: Record<Lang, string> = { es: 'es-PE', en: 'en' };
const STORAGE_KEY = 'alertautec.lang';

function initialLang(): Lang {
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'es' ? stored : 'es';
}

let lang: Lang = initialLang();
const listeners = new Set<() => void>();
document.documentElement.lang = LOCALES[lang];

export function setLang(next: Lang): void {
  lang = next;
  window.localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = LOCALES[next];
  listeners.forEach((listener) => listener());
}

export type { Vars };

/** A message with its placeholders filled and its plural blocks chosen (see format.ts). */
export function translate(current: Lang, key: MessageKey, vars?: Vars): string {
  return formatMessage(DICTIONARIES[current][key], vars, LOCALES[current]);
}

/** Whether the dictionaries have this key (for codes from an open set, such as problem codes). */
export const hasMessage = (key: string): key is MessageKey => key in DICTIONARIES.es;

export interface Translator {
  lang: Lang;
  locale: string;
  t: (key: MessageKey, vars?: Vars) => string;
  /** A label for a value from an open set (a category code): translated when known. */
  tOr: (key: string, fallback: string) => string;
  date: (iso: string | null | undefined) => string;
  /** How long ago or until `iso`, from `now` (ms; the current time unless given: see time/now.ts). */
  relative: (iso: string, now?: number) => string;
  number: (value: number) => string;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

export function makeTranslator(current: Lang): Translator {
  const locale = LOCALES[current];
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const numberFormat = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return {
    lang: current,
    locale,
    t: (key, vars) => translate(current, key, vars),
    tOr: (key, fallback) => {
      const [kind, code = ''] = key.split('.', 2);
      if (kind === 'category') return CATALOG_NAMES[current][code] ?? fallback;
      return key in DICTIONARIES[current] ? DICTIONARIES[current][key as MessageKey] : fallback;
    },
    date: (iso) => (iso ? dateFormat.format(new Date(iso)) : '—'),
    relative: (iso, now = Date.now()) => {
      const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
      if (Math.abs(seconds) < 60) return relativeFormat.format(seconds, 'second');
      const minutes = Math.round(seconds / 60);
      if (Math.abs(minutes) < 60) return relativeFormat.format(minutes, 'minute');
      if (Math.abs(minutes) < 48 * 60) return relativeFormat.format(Math.round(minutes / 60), 'hour');
      return relativeFormat.format(Math.round(minutes / 1440), 'day');
    },
    number: (value) => numberFormat.format(value),
  };
}

const translators: Partial<Record<Lang, Translator>> = {};

/** The translator of the language chosen now, for code outside React (DOM event handlers). */
export const currentTranslator = (): Translator => (translators[lang] ??= makeTranslator(lang));

export function useT(): Translator {
  const current = useSyncExternalStore(subscribe, () => lang);
  return (translators[current] ??= makeTranslator(current));
}
