import type { Language } from './rules.js';

/** A person's notification preferences (CONTRACT §3 Notifications). */
export interface NotificationPreferences {
  language: Language;
  /** E.164, for SMS. */
  phone: string | null;
  /** Channels for non-critical notifications (critical ones ignore these). */
  channels: { email: boolean; sms: boolean };
  /** Campus wall-clock times "HH:MM"; `from` after `to` spans midnight. */
  quietHours: { from: string; to: string } | null;
}

export const DEFAULT_PREFERENCES: NotificationPreferences = {
  language: 'es',
  phone: null,
  channels: { email: true, sms: false },
  quietHours: null,
};

const MINUTES_PER_DAY = 24 * 60;

export const parseClock = (value: string): number => {
  const [hours, minutes] = value.split(':').map(Number);
  return hours! * 60 + minutes!;
};

/** Minutes since midnight and seconds into the minute, on the campus clock. */
function wallClock(now: number, timeZone: string): { minutes: number; intoMinuteMs: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const hour = Number(parts.find((part) => part.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((part) => part.type === 'minute')?.value ?? 0);
  return { minutes: hour * 60 + minute, intoMinuteMs: now % 60_000 };
}

/**
 * When the quiet hours that `now` falls in end (epoch ms), or null when `now` is not in
 * them. Computed on the campus clock; across a DST change the answer may be an hour off,
 * which the sender tolerates (it checks again when it wakes).
 */
export function quietHoursEnd(now: number, quietHours: { from: string; to: string } | null, timeZone: string): number | null {
  if (!quietHours) return null;
  const from = parseClock(quietHours.from);
  const to = parseClock(quietHours.to);
  if (from === to) return null;
  const { minutes, intoMinuteMs } = wallClock(now, timeZone);
  const inside = from < to ? minutes >= from && minutes < to : minutes >= from || minutes < to;
  if (!inside) return null;
  const untilEnd = (to - minutes + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return now - intoMinuteMs + untilEnd * 60_000;
}
