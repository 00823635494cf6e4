import { useEffect, useState, type FormEvent } from 'react';
import { notificationAdmin } from '../../api/endpoints.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useT, type MessageKey, type Vars } from '../../i18n/index.js';
import { ActionFeedback, useConfirmedAction } from './AdminFeedback.js';
import { EscalationLevelEditor } from './EscalationLevelEditor.js';
import { checkDraft, MAX_LEVELS, newLevel, toDraft, type PolicyDraft } from './escalation-draft.js';

/** The escalation policy: who is alerted, how, and when, while an escalated incident waits for someone. */
export function EscalationAdmin() {
  const { t } = useT();
  const stored = useLoad(() => notificationAdmin.escalationPolicy(), []);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [problems, setProblems] = useState<[MessageKey, Vars][]>([]);
  useEffect(() => {
    if (stored.data) setDraft(toDraft(stored.data));
  }, [stored.data]);

  const save = useConfirmedAction(async (policy: Parameters<typeof notificationAdmin.saveEscalationPolicy>[0]) => {
    const saved = await notificationAdmin.saveEscalationPolicy(policy);
    stored.setData(() => saved); // the editor follows (the effect above)
    return t('escalation.saved');
  });

  if (!draft) return stored.error ? <ErrorNotice error={stored.error} /> : <Loading />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkDraft(draft);
    if ('problems' in checked) {
      setProblems(checked.problems);
      return;
    }
    setProblems([]);
    void save.run(checked.policy);
  };
  const discard = () => {
    if (stored.data) setDraft(toDraft(stored.data));
    setProblems([]);
  };
  const setLevels = (levels: PolicyDraft['levels']) => setDraft({ ...draft, levels });

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p className="muted">{t('escalation.lead')}</p>
      {draft.levels.map((level, index) => (
        <EscalationLevelEditor
          key={index}
          level={level}
          index={index}
          onChange={(next) => setLevels(draft.levels.map((other, at) => (at === index ? next : other)))}
          onRemove={draft.levels.length > 1 ? () => setLevels(draft.levels.filter((_, at) => at !== index)) : undefined}
        />
      ))}
      <div className="button-row">
        <button type="button" disabled={draft.levels.length >= MAX_LEVELS} onClick={() => setLevels([...draft.levels, newLevel()])}>
          {t('escalation.addLevel')}
        </button>
      </div>
      <div className="field field-narrow">
        <label htmlFor="escalation-repeat">{t('escalation.repeat')}</label>
        <input
          id="escalation-repeat"
          type="number"
          min="1"
          max="10"
          step="1"
          aria-describedby="escalation-repeat-hint"
          value={draft.repeat}
          onChange={(event) => setDraft({ ...draft, repeat: event.target.value })}
        />
        <p id="escalation-repeat-hint" className="hint">
          {t('escalation.repeatHint')}
        </p>
      </div>
      {problems.length > 0 && (
        <div className="notice notice-error" role="alert">
          <p>{t('escalation.fix')}</p>
          <ul>
            {problems.map(([key, vars], index) => (
              <li key={index}>{t(key, vars)}</li>
            ))}
          </ul>
        </div>
      )}
      <ActionFeedback action={save} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={save.busy}>
          {t('escalation.save')}
        </button>
        <button type="button" onClick={discard}>
          {t('escalation.discard')}
        </button>
      </div>
    </form>
  );
}
