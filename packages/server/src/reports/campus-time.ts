/**
 * Campus wall-clock time (config.timeZone) for reports: the stamp in blob names, the day
 * an instant falls on, and where a campus day starts. Computed here, in JS, so both databases
 * count the same days: SQL only compares epoch milliseconds with the bounds given.
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

/**
 * The instant campus day `YYYY-MM-DD` begins: its local midnight, or, where a DST change skips
 * midnight, the first instant after the gap (the day starts at 01:00).
 */
export function campusDayStart(day: string, timeZone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) throw new Error(`Not a day: ${day}`);
  const midnightUtc = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // The offset at midnight UTC may not be the one in force at the local midnight (a change in
  // between): try the offsets of around there, and keep the instant that starts the day.
  const candidates = [0, -43_200_000, 43_200_000].map((shift) => midnightUtc - offsetAt(midnightUtc + shift, timeZone));
  const starts = candidates.filter((at) => campusDay(at, timeZone) === day && campusDay(at - 1, timeZone) !== day);
  if (starts.length === 0) throw new Error(`Could not find where ${day} begins in ${timeZone}`);
  return Math.min(...starts);
}

/** The day after `YYYY-MM-DD` (calendar arithmetic; no time zone involved). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** A campus day and the instants it spans, [start, end). */
export interface CampusDay {
  date: string;
  start: number;
  end: number;
}

/**
 * Every campus day from the one `from` falls on through the one `last` falls on, with the
 * instants each spans (23 or 25 hours on a DST change): one time-zone lookup per day.
 */
export function campusDaysBetween(from: number, last: number, timeZone: string): CampusDay[] {
  const days: CampusDay[] = [];
  const lastDay = campusDay(last, timeZone);
  let date = campusDay(from, timeZone);
  let start = campusDayStart(date, timeZone);
  while (date <= lastDay) {
    const next = nextDay(date);
    const end = campusDayStart(next, timeZone);
    days.push({ date, start, end });
    date = next;
    start = end;
  }
  return days;
}
