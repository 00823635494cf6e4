import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/http.js';
import { me, type Preferences } from '../../api/me.js';
import { ErrorNotice, Loading, PageTitle } from '../../components/ui.js';
import { useAction, useLoad } from '../../hooks.js';
import { setLang, useT, type MessageKey } from '../../i18n/index.js';

/** Problems of this form the server names by code, in the user's words. */
const PROBLEMS: Record<string, MessageKey> = {
  phone_required: 'preferences.error.phone_required',
  invalid_quiet_hours: 'preferences.error.invalid_quiet_hours',
};

function problemKey(error: unknown): MessageKey | null {
  if (!(error instanceof ApiError)) return null;
  if (PROBLEMS[error.code]) return PROBLEMS[error.code]!;
  if (error.code === 'validation_failed') {
    if (error.fieldErrors.some((field) => field.path.startsWith('/phone'))) return 'preferences.error.phone_format';
    if (error.fieldErrors.some((field) => field.path.startsWith('/quietHours'))) return 'preferences.error.time_format';
  }
  return null;
}

interface Draft {
  language: 'es' | 'en';
  phone: string;
  email: boolean;
  sms: boolean;
  quiet: boolean;
  from: string;
  to: string;
}

const toDraft = (preferences: Preferences): Draft => ({
  language: preferences.language,
  phone: preferences.phone ?? '',
  email: preferences.channels.email,
  sms: preferences.channels.sms,
  quiet: preferences.quietHours !== null,
  from: preferences.quietHours?.from ?? '22:00',
  to: preferences.quietHours?.to ?? '07:00',
});

const fromDraft = (draft: Draft): Preferences => ({
  language: draft.language,
  phone: draft.phone.replace(/[\s().-]/g, '') || null,
  channels: { email: draft.email, sms: draft.sms },
  quietHours: draft.quiet ? { from: draft.from, to: draft.to } : null,
});

/** The person's notification preferences: language, phone, channels, quiet hours. */
export function PreferencesPage() {
  const { t } = useT();
  const id = useId();
  const loaded = useLoad(() => me.preferences(), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setDraft(toDraft(loaded.data));
  }, [loaded.data]);

  const save = useAction(async (next: Draft) => {
    const stored = await me.savePreferences(fromDraft(next));
    setDraft(toDraft(stored));
    // The interface speaks the language the messages will be written in.
    setLang(stored.language);
    setSaved(true);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft) void save.run(draft);
  };
  const change = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((current) => (current ? { ...current, ...patch } : current));
  };
  const problem = problemKey(save.error);

  return (
    <div className="stack narrow">
      <PageTitle>{t('preferences.title')}</PageTitle>
      <p className="muted">{t('preferences.intro')}</p>
      <ErrorNotice error={loaded.error} />
      {!draft ? (
        loaded.error ? null : <Loading />
      ) : (
        <form className="card stack preferences-form" onSubmit={submit} noValidate>
          <p className="notice notice-warning">{t('preferences.critical')}</p>

          <div className="field">
            <label htmlFor={`${id}-language`}>{t('preferences.language')}</label>
            <select id={`${id}-language`} value={draft.language} onChange={(event) => change({ language: event.target.value === 'en' ? 'en' : 'es' })}>
              <option value="es" lang="es-PE">
                Español
              </option>
              <option value="en" lang="en">
                English
              </option>
            </select>
            <span className="hint">{t('preferences.languageHint')}</span>
          </div>

          <div className="field">
            <label htmlFor={`${id}-phone`}>
              {t('preferences.phone')} <span className="muted">({t('common.optional')})</span>
            </label>
            <input
              id={`${id}-phone`}
              type="tel"
              autoComplete="tel"
              inputMode="tel"
              placeholder="+51987654321"
              aria-describedby={`${id}-phone-hint`}
              aria-invalid={problem === 'preferences.error.phone_format' || problem === 'preferences.error.phone_required' ? true : undefined}
              value={draft.phone}
              onChange={(event) => change({ phone: event.target.value })}
            />
            <span className="hint" id={`${id}-phone-hint`}>
              {t('preferences.phoneHint')}
            </span>
          </div>

          <fieldset className="field">
            <legend>{t('preferences.channels')}</legend>
            <label className="checkbox">
              <input type="checkbox" role="switch" checked={draft.email} onChange={(event) => change({ email: event.target.checked })} />
              {t('preferences.email')}
            </label>
            <label className="checkbox">
              <input type="checkbox" role="switch" checked={draft.sms} onChange={(event) => change({ sms: event.target.checked })} />
              {t('preferences.sms')}
            </label>
            <span className="hint">{t('preferences.inappHint')}</span>
          </fieldset>

          <fieldset className="field">
            <legend>{t('preferences.quietHours')}</legend>
            <label className="checkbox">
              <input type="radio" name={`${id}-quiet`} checked={!draft.quiet} onChange={() => change({ quiet: false })} />
              {t('preferences.quietNone')}
            </label>
            <label className="checkbox">
              <input type="radio" name={`${id}-quiet`} checked={draft.quiet} onChange={() => change({ quiet: true })} />
              {t('preferences.quietSome')}
            </label>
            {draft.quiet && (
              <div className="quiet-hours">
                <div className="field">
                  <label htmlFor={`${id}-from`}>{t('preferences.quietFrom')}</label>
                  <input id={`${id}-from`} type="time" value={draft.from} onChange={(event) => change({ from: event.target.value })} />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-to`}>{t('preferences.quietTo')}</label>
                  <input id={`${id}-to`} type="time" value={draft.to} onChange={(event) => change({ to: event.target.value })} />
                </div>
              </div>
            )}
            <span className="hint">{t('preferences.quietHint')}</span>
          </fieldset>

          {problem ? (
            <p className="notice notice-error" role="alert">
              {t(problem)}
            </p>
          ) : (
            <ErrorNotice error={save.error} />
          )}
          {saved && !save.error && (
            <p className="notice notice-success" role="status">
              {t('preferences.saved')}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button button-primary" disabled={save.busy}>
              {t('common.save')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
