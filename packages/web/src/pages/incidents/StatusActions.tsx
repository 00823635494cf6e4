import { allowedTransitions, isFinalStatus, reasonRequired } from '@alertautec/core';
import { useEffect, useId, useRef, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident, Status, User } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

const actorOf = (user: User) => ({ kind: 'user' as const, userId: user.id, tenantId: user.tenantId, role: user.role, departmentId: user.departmentId });

/** The moves this user may make now (the same policy the server applies). */
export function movesFor(user: User, incident: Incident, isMine: boolean): Status[] {
  // Anonymous reports hide reporterId, even from their reporter; the caller knows if it is theirs.
  const reporterId = isMine ? user.id : (incident.reporterId ?? '');
  return allowedTransitions(actorOf(user), { ...incident, reporterId, tenantId: user.tenantId });
}

/**
 * A status change with its note: a move that needs a reason (the same rule the server
 * applies) is refused here with the app's own message before anything is sent, and a move
 * that cannot be undone asks for confirmation first.
 */
function useChange(user: User, incident: Incident, onChanged: (incident: Incident) => void) {
  const { t } = useT();
  const [confirming, setConfirming] = useState<Status | null>(null);
  const [missingReason, setMissingReason] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const { run, busy, error } = useAction(async (status: Status, note: string) => {
    const updated = await api.changeStatus(incident, status, note.trim() || undefined);
    onChanged(updated);
    announce(t('actions.changed', { status: t(`status.${updated.status}`) }));
  });

  /** Asks for what is missing (a reason, a confirmation) or makes the move; true once made. */
  const request = async (status: Status, note: string, confirmed = false): Promise<boolean> => {
    if (reasonRequired(actorOf(user), incident, status) && !note.trim()) {
      setMissingReason(true);
      setConfirming(null);
      noteRef.current?.focus();
      return false;
    }
    setMissingReason(false);
    if (isFinalStatus(status) && !confirmed) {
      setConfirming(status);
      return false;
    }
    setConfirming(null);
    return run(status, note);
  };
  return { busy, error, request, confirming, cancel: () => setConfirming(null), missingReason, noteRef };
}

/** "Reject this incident? This cannot be undone." with the two answers; takes the focus. */
function ConfirmMove({ status, busy, onConfirm, onCancel }: { status: Status; busy: boolean; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useT();
  const questionId = useId();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div className="confirm-move" role="group" aria-labelledby={questionId}>
      <p id={questionId}>
        <strong>{t(`actions.confirmQuestion.${status}` as 'actions.confirmQuestion.closed')}</strong> {t('actions.final')}
      </p>
      <div className="button-row">
        <button ref={confirmRef} type="button" className={`move move-${status}`} disabled={busy} onClick={onConfirm}>
          {t(`actions.confirmYes.${status}` as 'actions.confirmYes.closed')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </div>
  );
}

/** The note's field, labelled with who reads it and whether this move needs it. */
function NoteField({ id, value, onChange, required, missing, noteRef, label, hint }: {
  id: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  required: boolean;
  missing: boolean;
  noteRef: React.RefObject<HTMLTextAreaElement | null>;
  label: string;
}) {
  const { t } = useT();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label} <span className="muted">({required ? t('actions.noteRequiredFor') : t('common.optional')})</span>
      </label>
      <textarea
        ref={noteRef}
        id={id}
        rows={2}
        maxLength={2000}
        value={value}
        aria-invalid={missing || undefined}
        aria-describedby={`${id}-hint${missing ? ` ${id}-error` : ''}`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      {missing && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t('actions.reasonMissing')}
        </p>
      )}
    </div>
  );
}

/** Staff, authorities and admins: a note and one button per allowed move. */
export function StatusChanger({ user, incident, moves, onChanged }: { user: User; incident: Incident; moves: Status[]; onChanged: (incident: Incident) => void }) {
  const { t } = useT();
  const noteId = useId();
  const [note, setNote] = useState('');
  const { busy, error, request, confirming, cancel, missingReason, noteRef } = useChange(user, incident, onChanged);
  if (moves.length === 0) return <p className="muted">{t('actions.none')}</p>;
  const move = (status: Status, confirmed = false) => void request(status, note, confirmed).then((made) => made && setNote(''));
  return (
    <div className="stack-sm">
      <NoteField
        id={noteId}
        value={note}
        onChange={setNote}
        required={moves.some((status) => reasonRequired(actorOf(user), incident, status))}
        missing={missingReason}
        noteRef={noteRef}
        label={t('actions.note')}
        hint={t('actions.noteVisible')}
      />
      <div className="button-row" role="group" aria-label={t('actions.moveTo')}>
        {moves.map((status) => (
          <button key={status} type="button" className={`move move-${status}`} disabled={busy} onClick={() => move(status)}>
            {t(`actions.to.${status}`)}
          </button>
        ))}
      </div>
      {confirming && <ConfirmMove status={confirming} busy={busy} onConfirm={() => move(confirming, true)} onCancel={cancel} />}
      <ErrorNotice error={error} />
    </div>
  );
}

/** The reporter of a resolved incident: confirm the fix, or say what is still wrong. */
export function ReporterActions({ user, incident, onChanged }: { user: User; incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useT();
  const noteId = useId();
  const [note, setNote] = useState('');
  const { busy, error, request, missingReason, noteRef } = useChange(user, incident, onChanged);
  return (
    <div className="reporter-actions stack-sm">
      <p>{t('actions.resolvedAsk')}</p>
      <NoteField
        id={noteId}
        value={note}
        onChange={setNote}
        required={false}
        missing={missingReason}
        noteRef={noteRef}
        label={t('actions.reporterNote')}
        hint={t('actions.reporterNoteVisible')}
      />
      <div className="button-row">
        {/* The question above is the confirmation: closing asks nothing more. */}
        <button type="button" className="button-primary" disabled={busy} onClick={() => void request('closed', note, true)}>
          {t('actions.confirm')}
        </button>
        <button type="button" disabled={busy} onClick={() => void request('in_progress', note)}>
          {t('actions.reopen')}
        </button>
      </div>
      <ErrorNotice error={error} />
    </div>
  );
}
