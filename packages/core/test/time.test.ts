import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toIso, toIsoOrNull } from '../src/time.js';

describe('toIso', () => {
  it('writes epoch milliseconds as ISO 8601 in UTC, milliseconds kept', () => {
    assert.equal(toIso(Date.UTC(2025, 2, 1, 12, 0, 0, 5)), '2025-03-01T12:00:00.005Z');
    assert.equal(toIso(0), '1970-01-01T00:00:00.000Z');
  });

  it('keeps null as null', () => {
    assert.equal(toIsoOrNull(null), null);
    assert.equal(toIsoOrNull(0), '1970-01-01T00:00:00.000Z');
  });
});
