import { useState, type FormEvent } from 'react';
import { auth } from '../../api/endpoints.js';
import { setSession } from '../../api/session.js';
import { ErrorNotice, PageTitle } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { homePath } from '../../navigation.js';
import { Link, navigate, useCurrentLocation } from '../../router.js';

/** Where to go after signing in: the page that asked for it, if it is one of ours. */
function nextPath(query: URLSearchParams, fallback: string): string {
  const next = query.get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export function SignInPage() {
  const { t } = useT();
  const { query } = useCurrentLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { run, busy, error } = useAction(async () => {
    const pair = await auth.login(email.trim(), password);
    setSession(pair);
    navigate(nextPath(query, homePath(pair.user.role)), { replace: true });
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  return (
    <div className="auth-card card">
      <PageTitle>{t('auth.signIn.title')}</PageTitle>
      <p className="muted">{t('auth.signIn.lead')}</p>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor="signin-email">{t('auth.email')}</label>
          <input id="signin-email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="signin-password">{t('auth.password')}</label>
          <input
            id="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <ErrorNotice error={error} />
        <button type="submit" className="button-primary" disabled={busy}>
          {busy ? t('auth.signIn.busy') : t('auth.signIn.submit')}
        </button>
      </form>
      <p className="auth-switch">
        {t('auth.signIn.noAccount')} <Link to="/register">{t('auth.register.link')}</Link>
      </p>
    </div>
  );
}
