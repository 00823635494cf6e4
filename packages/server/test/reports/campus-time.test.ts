import assert from 'node:assert/strict';
import { it } from 'node:test';
import { campusDay, campusDaysInOrder, QUARTER_HOUR_MS } from '../../src/reports/campus-time.js';

// The daily series maps every quarter hour with incidents to its campus day; campusDaysInOrder
// does it with one time-zone lookup per day and must give what campusDay gives, every time.
const ZONES = ['America/Lima', 'America/Santiago', 'Asia/Kolkata', 'Australia/Lord_Howe'];
// 2025's DST changes of these zones: Santiago 6 April and 7 September, Lord Howe (half an hour) 6 April and 5 October.
const WINDOWS = [
  [Date.UTC(2025, 3, 1), Date.UTC(2025, 3, 10)],
  [Date.UTC(2025, 8, 3), Date.UTC(2025, 8, 10)],
  [Date.UTC(2025, 9, 1), Date.UTC(2025, 9, 8)],
];

it('gives campusDay for every quarter hour, across DST changes and half-hour offsets', () => {
  for (const zone of ZONES) {
    const dayOf = campusDaysInOrder(zone);
    let mismatches = 0;
    let days = 0;
    for (const [from, to] of WINDOWS) {
      for (let at = from!; at < to!; at += QUARTER_HOUR_MS) {
        const day = campusDay(at, zone);
        if (dayOf(at) !== day) mismatches++;
        if (day !== campusDay(at - QUARTER_HOUR_MS, zone)) days++;
      }
    }
    assert.equal(mismatches, 0, zone);
    assert.ok(days >= 20, `${zone}: the windows cross ${days} day boundaries`);
  }
});

it('looks an instant out of order up anew', () => {
  const dayOf = campusDaysInOrder('America/Lima');
  const late = Date.UTC(2026, 3, 15, 4, 0); // 23:00 on the 14th in Lima
  const early = Date.UTC(2026, 3, 10, 12, 0);
  assert.equal(dayOf(late), '2026-04-14');
  assert.equal(dayOf(early), '2026-04-10');
  assert.equal(dayOf(late + 3_600_000), '2026-04-15');
  assert.equal(dayOf(late - 1), '2026-04-14');
});
