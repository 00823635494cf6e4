/**
 * Campus wall-clock time (config.timeZone) for reports: the stamp in blob names, the day
 * an instant falls on, and where a campus day starts. Computed here, in JS, so both databases
 * bucket the same way: SQL only groups epoch milliseconds by integer division.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function wallClock(ms: number, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** `YYYY-MM-DD`: the campus day `ms` falls on. */
export function campusDay(ms: number, timeZone: string): string {
  const { year, month, day } = wallClock(ms, timeZone);
  return `${year}-${month}-${day}`;
}

/** `YYYY-MM-DD_HH-MM`, campus time: the stamp in report names (the original design's). */
export function campusStamp(ms: number, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(ms, timeZone);
  return `${year}-${month}-${day}_${hour}-${minute}`;
}

/** How far the campus clock is ahead of UTC at `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day), Number(w.hour), Number(w.minute), Number(w.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant campus day `YYYY-MM-DD` begins (its first local midnight). */
export function campusDayStart(day: string, timeZone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`Not a day: ${day}`);
  const midnightUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Twice: the offset at the first guess may differ from the one at the answer (DST).
  let start = midnightUtc - offsetAt(midnightUtc, timeZone);
  start = midnightUtc - offsetAt(start, timeZone);
  return start;
}

/**
 * campusDay for a run of instants in ascending order (a report's quarter hours), asking the
 * time-zone database once per day instead of once per instant: an instant before the start of
 * the day after the last one found is on that day. An instant out of order is looked up anew.
 */
export function campusDaysInOrder(timeZone: string): (ms: number) => string {
  let day = '';
  let start = Infinity;
  let end = -Infinity;
  return (ms) => {
    if (ms < start || ms >= end) {
      day = campusDay(ms, timeZone);
      start = ms;
      end = campusDayStart(nextDay(day), timeZone);
    }
    return day;
  };
}

/** The day after `YYYY-MM-DD` (calendar arithmetic; no time zone involved). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * SQL groups instants into quarter hours (`at / 900000`, integer division, the same on both
 * databases); every time zone's offset is a whole number of quarter hours, so each quarter
 * hour lies within one campus day, found here.
 */
export const QUARTER_HOUR_MS = 900_000;
