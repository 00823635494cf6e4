import assert from 'node:assert/strict';
import { it } from 'node:test';
import { campusDay, campusDaysBetween } from '../../src/reports/campus-time.js';

// The daily series counts incidents per campus day between the bounds campusDaysBetween gives:
// each day must span exactly the instants campusDay puts on it, across DST changes and
// half-hour offsets, with no gap or overlap between days.
const ZONES = ['America/Lima', 'America/Santiago', 'Asia/Kolkata', 'Australia/Lord_Howe'];
// 2025's DST changes of these zones: Santiago 6 April and 7 September, Lord Howe (half an hour) 6 April and 5 October.
const WINDOWS = [
  [Date.UTC(2025, 3, 1), Date.UTC(2025, 3, 10)],
  [Date.UTC(2025, 8, 3), Date.UTC(2025, 8, 10)],
  [Date.UTC(2025, 9, 1), Date.UTC(2025, 9, 8)],
];
const QUARTER_HOUR = 900_000;

it('spans each campus day exactly, across DST changes and half-hour offsets', () => {
  for (const zone of ZONES) {
    for (const [from, to] of WINDOWS) {
      const days = campusDaysBetween(from!, to! - 1, zone);
      assert.equal(days[0]!.date, campusDay(from!, zone), zone);
      assert.equal(days.at(-1)!.date, campusDay(to! - 1, zone), zone);
      const lengths = new Set<number>();
      for (const [i, day] of days.entries()) {
        if (i > 0) assert.equal(day.start, days[i - 1]!.end, `${zone} ${day.date}: starts where the day before ends`);
        assert.equal(campusDay(day.start, zone), day.date, `${zone} ${day.date}: first instant`);
        assert.equal(campusDay(day.end - 1, zone), day.date, `${zone} ${day.date}: last instant`);
        assert.notEqual(campusDay(day.start - 1, zone), day.date, `${zone} ${day.date}: the instant before is another day`);
        for (let at = day.start; at < day.end; at += QUARTER_HOUR) assert.equal(campusDay(at, zone), day.date);
        lengths.add(day.end - day.start);
      }
      if (zone === 'America/Lima' || zone === 'Asia/Kolkata') assert.deepEqual([...lengths], [86_400_000], zone);
    }
  }
  // A DST change makes a day of 23 or 25 hours (Santiago) or 23.5 or 24.5 (Lord Howe).
  const santiago = campusDaysBetween(Date.UTC(2025, 3, 1), Date.UTC(2025, 3, 10) - 1, 'America/Santiago').map((day) => (day.end - day.start) / 3_600_000);
  assert.ok(santiago.includes(25), `Santiago: ${santiago.join(', ')}`);
  const lordHowe = campusDaysBetween(Date.UTC(2025, 9, 1), Date.UTC(2025, 9, 8) - 1, 'Australia/Lord_Howe').map((day) => (day.end - day.start) / 3_600_000);
  assert.ok(lordHowe.includes(23.5), `Lord Howe: ${lordHowe.join(', ')}`);
});

it('gives one day when both instants fall on it', () => {
  const at = Date.UTC(2026, 3, 15, 4, 0); // 23:00 on the 14th in Lima
  assert.deepEqual(campusDaysBetween(at - 3_600_000, at, 'America/Lima').map((day) => day.date), ['2026-04-14']);
});
