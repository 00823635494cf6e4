import { useState, type FormEvent } from 'react';
import { auth } from '../../api/endpoints.js';
import { setSession } from '../../api/session.js';
import { ErrorNotice, PageTitle } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { Link, navigate } from '../../router.js';

const MIN_PASSWORD = 10;

export function RegisterPage() {
  const { t } = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(async () => {
    await auth.register({ name: name.trim(), email: email.trim(), password });
    setSession(await auth.login(email.trim(), password));
    navigate('/report', { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  return (
    <div className="auth-card card">
      <PageTitle>{t('auth.register.title')}</PageTitle>
      <p className="muted">{t('auth.register.lead')}</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="register-name">{t('auth.name')}</label>
          <input id="register-name" autoComplete="name" required maxLength={120} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="register-email">{t('auth.email')}</label>
          <input id="register-email" type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="register-password">{t('auth.password')}</label>
          <input
            id="register-password"
            type="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            aria-describedby="register-password-hint"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id="register-password-hint" className="hint">
            {t('auth.password.hint', { n: MIN_PASSWORD })}
          </p>
        </div>
        <ErrorNotice error={error} />
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('auth.register.busy') : t('auth.register.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.register.haveAccount')} <Link to="/login">{t('auth.signIn.link')}</Link>
      </p>
    </div>
  );
}
