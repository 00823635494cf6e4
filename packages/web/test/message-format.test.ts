import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMessage } from '../src/i18n/format.js';

/** The tiny ICU subset the dictionaries use: placeholders and plural blocks over Intl.PluralRules. */
describe('formatMessage', () => {
  const places = { es: '{n, plural, one {# lugar encontrado.} other {# lugares encontrados.}}', en: '{n, plural, one {# place found.} other {# places found.}}' };

  it('chooses the plural case by the language’s rules, for 0, 1 and 5', () => {
    assert.deepEqual([0, 1, 5].map((n) => formatMessage(places.es, { n }, 'es-PE')), ['0 lugares encontrados.', '1 lugar encontrado.', '5 lugares encontrados.']);
    assert.deepEqual([0, 1, 5].map((n) => formatMessage(places.en, { n }, 'en')), ['0 places found.', '1 place found.', '5 places found.']);
  });

  it('prefers an exact =N case, formats # for the locale, and fills placeholders inside and outside blocks', () => {
    const text = '{n, plural, =0 {Nada en {where}} one {# cosa en {where}} other {# cosas en {where}}} ({who})';
    assert.equal(formatMessage(text, { n: 0, where: 'A-301', who: 'Ana' }, 'es-PE'), 'Nada en A-301 (Ana)');
    assert.equal(formatMessage(text, { n: 1, where: 'A-301', who: 'Ana' }, 'es-PE'), '1 cosa en A-301 (Ana)');
    assert.equal(formatMessage(text, { n: 12000, where: 'B', who: 'Ana' }, 'en'), '12,000 cosas en B (Ana)');
    // A count given as text ("1.0" from toFixed) still chooses by its value.
    assert.equal(formatMessage('{n, plural, one {# día} other {# días}}', { n: '1.0' }, 'es-PE'), '1 día');
    assert.equal(formatMessage('{n, plural, one {# day} other {# days}}', { n: '2.5' }, 'en'), '2.5 days');
  });

  it('leaves text without variables, and unknown placeholders, as they are', () => {
    assert.equal(formatMessage('Hola {name}', undefined, 'es-PE'), 'Hola {name}');
    assert.equal(formatMessage('Hola {name}', { other: 1 }, 'es-PE'), 'Hola {name}');
    assert.equal(formatMessage('{n, plural, one {# x} other {# xs}}', { n: 'many' }, 'en'), '{n, plural, one {# x} other {# xs}}');
  });
});
