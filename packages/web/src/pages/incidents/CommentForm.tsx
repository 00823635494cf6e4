import { useId, useState, type FormEvent } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { IncidentEvent } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

/** A public comment, or (for those who work incidents) an internal one. */
export function CommentForm({ incidentId, canInternal, onAdded }: { incidentId: string; canInternal: boolean; onAdded: (event: IncidentEvent) => void }) {
  const { t } = useT();
  const textId = useId();
  const [text, setText] = useState('');
  const [internal, setInternal] = useState(false);

  const { run, busy, error } = useAction(async () => {
    onAdded(await api.comment(incidentId, text.trim(), canInternal && internal));
    setText('');
    announce(t('comments.added'));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void run();
  };

  return (
    <form className={`comment-form stack-sm${canInternal && internal ? ' is-internal' : ''}`} onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={textId}>{t('comments.label')}</label>
        <textarea id={textId} rows={3} maxLength={4000} required value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      {canInternal && (
        <label className="checkbox">
          <input type="checkbox" checked={internal} onChange={(event) => setInternal(event.target.checked)} aria-describedby={`${textId}-internal`} />
          {t('comments.internal')}
          <span id={`${textId}-internal`} className="hint">
            {' '}
            — {t('comments.internalHint')}
          </span>
        </label>
      )}
      {canInternal && internal && <p className="internal-banner">{t('comments.internalBanner')}</p>}
      <ErrorNotice error={error} />
      <div className="button-row">
        <button type="submit" disabled={busy || !text.trim()}>
          {internal && canInternal ? t('comments.submitInternal') : t('comments.submit')}
        </button>
      </div>
    </form>
  );
}
