import { allowedTransitions } from '@alertautec/core';
import { useId, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident, Status, User } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

/** The moves this user may make now (the same policy the server applies). */
export function movesFor(user: User, incident: Incident, isMine: boolean): Status[] {
  const actor = { kind: 'user' as const, userId: user.id, tenantId: user.tenantId, role: user.role, departmentId: user.departmentId };
  // Anonymous reports hide reporterId, even from their reporter; the caller knows if it is theirs.
  const reporterId = isMine ? user.id : (incident.reporterId ?? '');
  return allowedTransitions(actor, { ...incident, reporterId, tenantId: user.tenantId });
}

function useChange(incident: Incident, onChanged: (incident: Incident) => void) {
  const { t } = useT();
  const { run: change, busy, error } = useAction(async (status: Status, note: string) => {
    const updated = await api.changeStatus(incident, status, note.trim() || undefined);
    onChanged(updated);
    announce(t('actions.changed', { status: t(`status.${updated.status}`) }));
  });
  return { busy, error, change };
}

/** Staff, authorities and admins: a note and one button per allowed move. */
export function StatusChanger({ incident, moves, onChanged }: { incident: Incident; moves: Status[]; onChanged: (incident: Incident) => void }) {
  const { t } = useT();
  const noteId = useId();
  const [note, setNote] = useState('');
  const { busy, error, change } = useChange(incident, onChanged);
  if (moves.length === 0) return <p className="muted">{t('actions.none')}</p>;
  return (
    <div className="stack-sm">
      <div className="field">
        <label htmlFor={noteId}>
          {t('actions.note')} <span className="muted">({t('common.optional')})</span>
        </label>
        <textarea id={noteId} rows={2} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <div className="button-row" role="group" aria-label={t('actions.moveTo')}>
        {moves.map((status) => (
          <button
            key={status}
            type="button"
            className={`move move-${status}`}
            disabled={busy}
            onClick={() => void change(status, note).then((ok) => ok && setNote(''))}
          >
            {t(`actions.to.${status}`)}
          </button>
        ))}
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}

/** The reporter of a resolved incident: confirm the fix, or say it is not fixed. */
export function ReporterActions({ incident, onChanged }: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useT();
  const noteId = useId();
  const [note, setNote] = useState('');
  const { busy, error, change } = useChange(incident, onChanged);
  return (
    <div className="reporter-actions stack-sm">
      <p>{t('actions.resolvedAsk')}</p>
      <div className="field">
        <label htmlFor={noteId}>
          {t('actions.reporterNote')} <span className="muted">({t('common.optional')})</span>
        </label>
        <input id={noteId} maxLength={2000} value={note} onChange={(event) => setNote(event.target.value)} />
      </div>
      <div className="button-row">
        <button type="button" className="button-primary" disabled={busy} onClick={() => void change('closed', note)}>
          {t('actions.confirm')}
        </button>
        <button type="button" disabled={busy} onClick={() => void change('in_progress', note)}>
          {t('actions.reopen')}
        </button>
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}
