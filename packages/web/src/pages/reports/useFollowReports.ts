import { useEffect, useRef } from 'react';
import { reports as api } from '../../api/endpoints.js';
import type { Report, ReportStatus } from '../../api/types.js';

export const FINISHED: ReadonlySet<ReportStatus> = new Set(['succeeded', 'failed']);

/** The first look comes soon (a report of a small campus takes about a second)… */
const FIRST_DELAY_MS = 1000;
/** …then, while nothing changes, each look waits half as long again, up to this. */
const MAX_DELAY_MS = 10_000;
/** Unfinished reports followed at once (the newest); older ones show their state on reload. */
const FOLLOWED = 5;

/**
 * Live status for reports that are still queued or running. The realtime protocol
 * (CONTRACT §4) pushes incident events and in-app notifications, but no report events, so
 * the page polls `GET /api/reports/:id` for the unfinished reports it shows, and stops
 * as soon as none is left. The interval starts at 1 s and backs off to 10 s while nothing
 * changes (a queue that is not being worked does not cost a request a second).
 */
export function useFollowReports(
  items: readonly Report[] | undefined,
  replace: (report: Report) => void,
  onChange: (before: Report, after: Report) => void,
): void {
  const current = useRef(items);
  current.current = items;
  const callbacks = useRef({ replace, onChange });
  callbacks.current = { replace, onChange };
  const followed = (items ?? [])
    .filter((report) => !FINISHED.has(report.status))
    .slice(0, FOLLOWED)
    .map((report) => report.id);
  const key = followed.join(',');

  useEffect(() => {
    if (!key) return;
    const ids = key.split(',');
    let stopped = false;
    let delay = FIRST_DELAY_MS;
    let timer: ReturnType<typeof setTimeout>;
    const look = async () => {
      const fresh = await Promise.all(ids.map((id) => api.get(id).catch(() => null)));
      if (stopped) return;
      let changed = false;
      for (const report of fresh) {
        const before = report && current.current?.find((item) => item.id === report.id);
        if (!report || !before) continue;
        if (before.status !== report.status || before.error !== report.error) {
          changed = true;
          callbacks.current.replace(report);
          callbacks.current.onChange(before, report);
        }
      }
      // A change re-runs this effect (the key changes once a report finishes); else back off.
      delay = changed ? FIRST_DELAY_MS : Math.min(MAX_DELAY_MS, Math.round(delay * 1.5));
      timer = setTimeout(() => void look(), delay);
    };
    timer = setTimeout(() => void look(), delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key]);
}
