import { OPEN_STATUSES } from '@alertautec/core';
import type { Incident } from '../../api/types.js';
import { useT } from '../../i18n/index.js';
import { useNow } from '../../time/now.js';

/** How often the board's times count on (one shared interval for the whole page). */
export const BOARD_TICK_MS = 5_000;

/** "hace 5 min", kept current by the shared ticker; only this element re-renders on a tick. */
export function RelativeTime({ iso }: { iso: string }) {
  const { relative } = useT();
  const now = useNow(BOARD_TICK_MS);
  return <time dateTime={iso}>{relative(iso, now)}</time>;
}

/**
 * The board's due-time cell: while an open incident waits for acknowledgement, a countdown
 * to its SLA due time ("Vence dentro de 4 minutos"), then "Vencido hace 3 minutos", marked
 * by class and text (not by colour alone). Re-renders on the shared tick, the row does not.
 */
export function DueTimeCell({ incident, label }: { incident: Incident; label: string }) {
  const { t, relative } = useT();
  const now = useNow(BOARD_TICK_MS);
  const waiting = OPEN_STATUSES.includes(incident.status) && !incident.acknowledgedAt;
  if (!waiting) {
    return (
      <td data-label={label} className="due-cell">
        {incident.acknowledgedAt ? t('board.dueDone') : '—'}
      </td>
    );
  }
  const overdue = Date.parse(incident.slaDueAt) <= now;
  const when = relative(incident.slaDueAt, now);
  return (
    <td data-label={label} className={overdue ? 'due-cell is-overdue' : 'due-cell'}>
      <time dateTime={incident.slaDueAt}>{overdue ? <strong>{t('board.overdueSince', { when })}</strong> : t('board.dueIn', { when })}</time>
    </td>
  );
}
