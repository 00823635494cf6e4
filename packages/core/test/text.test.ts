import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanText, foldText, isSafeLine, isSafeText, normalizeEmail } from '../src/text.js';

describe('foldText', () => {
  it('lower-cases, strips accents and collapses punctuation to single spaces', () => {
    assert.equal(foldText('  Pabellón A – Piso 3  '), 'pabellon a piso 3');
    assert.equal(foldText('TÓPICO y SALUD'), 'topico y salud');
    assert.equal(foldText('A-P3'), 'a p3');
    assert.equal(foldText('ñandú'), 'nandu');
    assert.equal(foldText('¡¿--!!'), '');
  });

  it('treats composed and decomposed accents alike', () => {
    assert.equal(foldText('Cafe\u0301'), foldText('Caf\u00e9'));
    assert.equal(foldText('Caf\u00e9'), 'cafe');
  });
});

describe('cleanText and normalizeEmail', () => {
  it('cleanText trims and normalises to NFC', () => {
    const decomposed = '  Jose\u0301 ';
    const cleaned = cleanText(decomposed);
    assert.equal(cleaned, 'Jos\u00e9');
    assert.equal(cleaned.length, 4);
  });

  it('normalizeEmail trims, lower-cases and composes', () => {
    assert.equal(normalizeEmail('  Ana.Perez@UTEC.Example '), 'ana.perez@utec.example');
  });
});

describe('isSafeLine', () => {
  it('accepts ordinary names, accents and emoji (surrogate pairs)', () => {
    for (const value of ['Ana', 'José Peña', 'Fuga de agua 🚰', '👩‍🚒 bomberos', 'Aula 301 (2do piso)', '中文']) {
      assert.equal(isSafeLine(value), true, JSON.stringify(value));
    }
  });

  it('refuses empty and whitespace-only text', () => {
    assert.equal(isSafeLine(''), false);
    assert.equal(isSafeLine('   '), false);
    assert.equal(isSafeLine('\u00a0'), false);
  });

  it('refuses control characters, including tab and newline', () => {
    for (const value of ['a\u0000b', 'a\u0007', 'a\tb', 'a\nb', 'a\rb', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\u2028b', 'a\u2029b']) {
      assert.equal(isSafeLine(value), false, JSON.stringify(value));
    }
  });

  it('refuses bidi embeddings, overrides and isolates', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      assert.equal(isSafeLine(`invoice${String.fromCharCode(cp)}fdp.exe`), false, cp.toString(16));
    }
  });

  it('refuses lone surrogates but not a well-formed pair', () => {
    assert.equal(isSafeLine('a\ud800b'), false);
    assert.equal(isSafeLine('a\udc00'), false);
    assert.equal(isSafeLine('\ud83d'), false);
    assert.equal(isSafeLine('\ud83d\ude80'), true);
  });
});

describe('isSafeText', () => {
  it('allows newlines and tabs in multi-line text', () => {
    assert.equal(isSafeText('línea 1\nlínea 2'), true);
    assert.equal(isSafeText('col1\tcol2'), true);
    assert.equal(isSafeText('🚨 incendio\n\n¡rápido!'), true);
  });

  it('refuses other control characters, bidi overrides and lone surrogates', () => {
    for (const value of ['a\u0000', 'a\u0008', 'a\u000bb', 'a\u000cb', 'a\u001f', 'a\u007f', 'a\u009f', 'x\u202ey', 'x\u2066y', 'x\ud800', 'x\udfff y']) {
      assert.equal(isSafeText(value), false, JSON.stringify(value));
    }
  });

  it('refuses blank text', () => {
    assert.equal(isSafeText(''), false);
    assert.equal(isSafeText('\n\t \n'), false);
  });
});
