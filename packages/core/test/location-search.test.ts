import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_LOCATIONS } from '../src/catalog/demo-campus.js';
import { matchLocation, searchTokens, suggestLocations, type LocationLike } from '../src/catalog/location-search.js';

const codes = (locations: readonly LocationLike[]) => locations.map((location) => location.code);
const byCode = (code: string) => {
  const location = DEMO_LOCATIONS.find((l) => l.code === code);
  assert.ok(location, code);
  return location;
};

describe('searchTokens', () => {
  it('folds accents and case and drops punctuation and stop words', () => {
    assert.deepEqual(searchTokens('Pabellón A – Piso 3'), ['pabellon', 'a', 'piso', '3']);
    assert.deepEqual(searchTokens('Baño del 2do piso de la Biblioteca'), ['bano', '2', 'piso', 'biblioteca']);
    assert.deepEqual(searchTokens('  '), []);
    assert.deepEqual(searchTokens('de la y el'), []);
  });

  it('folds numeric ordinals to numbers', () => {
    assert.deepEqual(searchTokens('3er piso'), ['3', 'piso']);
    assert.deepEqual(searchTokens('1ro'), ['1']);
    assert.deepEqual(searchTokens('1er 2do 2da 3ra 4to 5ta 7mo 8vo 9no 10mo'), ['1', '2', '2', '3', '4', '5', '7', '8', '9', '10']);
    assert.deepEqual(searchTokens('3° piso'), ['3', 'piso']);
    assert.deepEqual(searchTokens('3º piso'), ['3', 'piso']);
    assert.deepEqual(searchTokens('3ª planta'), ['3', 'planta']);
  });

  it('folds ordinal words, with or without accents', () => {
    assert.deepEqual(searchTokens('tercer piso'), ['3', 'piso']);
    assert.deepEqual(searchTokens('Tercera planta'), ['3', 'planta']);
    assert.deepEqual(searchTokens('primer primero primera segundo cuarto quinto sexto séptimo octavo noveno décimo'), [
      '1', '1', '1', '2', '4', '5', '6', '7', '8', '9', '10',
    ]);
  });

  it('leaves codes and plain numbers alone', () => {
    assert.deepEqual(searchTokens('A-301'), ['a', '301']);
    assert.deepEqual(searchTokens('P3'), ['p3']);
    assert.deepEqual(searchTokens('aula'), ['aula']);
  });
});

describe('suggestLocations', () => {
  it('puts the floor itself first for "pabellon a 3er piso"', () => {
    const found = suggestLocations('pabellon a 3er piso', DEMO_LOCATIONS);
    assert.equal(found[0]?.code, 'A-P3');
    assert.equal(found[0]?.name, 'Pabellón A – Piso 3');
    // Rooms on that floor follow, before other buildings' third floors.
    assert.ok(found.length <= 5);
    const roomIndex = codes(found).indexOf('A-301');
    const otherBuilding = codes(found).indexOf('B-P3');
    assert.ok(roomIndex > 0, 'a room on the floor is suggested');
    if (otherBuilding !== -1) assert.ok(roomIndex < otherBuilding);
  });

  it('ignores accents, case, word order and ordinal spelling', () => {
    for (const text of ['PABELLÓN A TERCER PISO', 'piso 3 pabellon a', 'Pabellon A, 3° piso', 'pabellón a - tercer piso']) {
      assert.equal(suggestLocations(text, DEMO_LOCATIONS)[0]?.code, 'A-P3', text);
    }
  });

  it('matches word prefixes of three letters or more', () => {
    assert.equal(suggestLocations('bibl', DEMO_LOCATIONS)[0]?.building, 'Biblioteca');
    assert.equal(suggestLocations('cafeteria', DEMO_LOCATIONS)[0]?.code, 'CAF-P1');
    assert.equal(suggestLocations('cafe', DEMO_LOCATIONS)[0]?.code, 'CAF-P1');
    // Two letters are not enough to count as a prefix.
    assert.deepEqual(suggestLocations('ca', DEMO_LOCATIONS), []);
  });

  it('finds a room by its label and number', () => {
    assert.equal(suggestLocations('laboratorio 402', DEMO_LOCATIONS)[0]?.code, 'B-402');
    assert.equal(suggestLocations('vestuarios', DEMO_LOCATIONS)[0]?.code, 'POL-101');
  });

  it('returns nothing for unrelated or empty text, and honours the limit', () => {
    assert.deepEqual(suggestLocations('zzzz qqqq', DEMO_LOCATIONS), []);
    assert.deepEqual(suggestLocations('', DEMO_LOCATIONS), []);
    assert.deepEqual(suggestLocations('de la', DEMO_LOCATIONS), []);
    assert.equal(suggestLocations('pabellon', DEMO_LOCATIONS, 3).length, 3);
    assert.equal(suggestLocations('pabellon', DEMO_LOCATIONS).length, 5);
  });

  it('ranks a full match above a partial one and breaks ties by fewer unmatched name words, then code', () => {
    const places: LocationLike[] = [
      { code: 'X-2', name: 'Sala de reuniones grande', building: 'Edificio X', floor: '2' },
      { code: 'X-1', name: 'Sala de reuniones', building: 'Edificio X', floor: '1' },
      { code: 'Y-1', name: 'Sala de profesores', building: 'Edificio Y', floor: '1' },
      { code: 'Z-9', name: 'Sala de reuniones', building: 'Edificio Z', floor: '1' },
    ];
    // "reuniones" matches and Z-9 fully; X-1 and Z-9 leave no name word unmatched.
    assert.deepEqual(codes(suggestLocations('sala reuniones', places)), ['X-1', 'Z-9', 'X-2', 'Y-1']);
    assert.deepEqual(codes(suggestLocations('sala reuniones edificio z', places)).slice(0, 1), ['Z-9']);
  });

  it('does not mutate its input', () => {
    const copy = DEMO_LOCATIONS.map((l) => l.code);
    suggestLocations('piso 2', DEMO_LOCATIONS);
    assert.deepEqual(codes(DEMO_LOCATIONS), copy);
  });
});

describe('matchLocation', () => {
  it('accepts an exact code case-insensitively and with surrounding spaces', () => {
    for (const code of ['A-P3', 'a-p3', '  A-p3 ']) {
      const match = matchLocation({ locationCode: code }, DEMO_LOCATIONS);
      assert.equal(match.valid, true, code);
      assert.equal(match.location, byCode('A-P3'));
      assert.deepEqual(match.suggestions, []);
    }
  });

  it('accepts text that is exactly a name or a code, up to accents and case', () => {
    assert.equal(matchLocation({ locationText: 'pabellon a - piso 3' }, DEMO_LOCATIONS).location?.code, 'A-P3');
    assert.equal(matchLocation({ locationText: 'BIBLIOTECA – SALA DE ESTUDIO 201' }, DEMO_LOCATIONS).location?.code, 'BIB-201');
    assert.equal(matchLocation({ locationText: 'bib 201' }, DEMO_LOCATIONS).location?.code, 'BIB-201');
  });

  it('answers suggestions, not a location, for near text', () => {
    const match = matchLocation({ locationText: 'pabellon a 3er piso' }, DEMO_LOCATIONS);
    assert.equal(match.valid, false);
    assert.equal(match.location, undefined);
    assert.equal(match.suggestions[0]?.code, 'A-P3');
  });

  it('falls back to text when the code is unknown, and uses both for suggestions', () => {
    assert.equal(matchLocation({ locationCode: 'nope', locationText: 'Cafetería – Piso 1' }, DEMO_LOCATIONS).location?.code, 'CAF-P1');
    const match = matchLocation({ locationCode: 'ZZ-99', locationText: 'auditorio' }, DEMO_LOCATIONS);
    assert.equal(match.valid, false);
    assert.equal(match.suggestions[0]?.code, 'AUD-P1');
  });

  it('an unknown code alone is invalid, with suggestions built from it', () => {
    const match = matchLocation({ locationCode: 'A-P9' }, DEMO_LOCATIONS);
    assert.equal(match.valid, false);
    assert.ok(match.suggestions.length > 0);
    assert.ok(match.suggestions.every((l) => l.code.startsWith('A-')), JSON.stringify(codes(match.suggestions)));
    assert.deepEqual(matchLocation({ locationCode: 'QQQ-000' }, DEMO_LOCATIONS).suggestions, []);
  });

  it('answers invalid with no suggestions for empty input or an empty catalog', () => {
    assert.deepEqual(matchLocation({}, DEMO_LOCATIONS), { valid: false, suggestions: [] });
    assert.deepEqual(matchLocation({ locationCode: '   ', locationText: '' }, DEMO_LOCATIONS), { valid: false, suggestions: [] });
    assert.deepEqual(matchLocation({ locationCode: 'A-P3', locationText: 'piso 3' }, []), { valid: false, suggestions: [] });
  });
});
