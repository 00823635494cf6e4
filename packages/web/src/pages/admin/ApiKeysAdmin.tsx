import { API_KEY_SCOPES } from '@alertautec/core';
import { useState, type FormEvent } from 'react';
import { admin } from '../../api/endpoints.js';
import type { ApiKey, ApiKeyScope } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { confirmSaved } from '../../components/SavedStatus.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

/** API keys for other services: the secret is shown once, right after creation. */
export function ApiKeysAdmin() {
  const { t, date } = useT();
  const keys = useLoad(() => admin.apiKeys().then((page) => page.items), []);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['realtime:publish']);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await admin.createApiKey(name.trim(), scopes);
      setSecret(created.key);
      setName('');
      keys.reload();
      announce(t('apiKeys.created'));
    } catch (reason) {
      setError(reason);
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!window.confirm(t('apiKeys.confirmRevoke', { name: key.name }))) return;
    setError(null);
    try {
      await admin.revokeApiKey(key.id);
      keys.reload();
      confirmSaved(t('apiKeys.revoked', { name: key.name }));
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <div className="stack">
      <form className="card stack-sm" onSubmit={(event) => void create(event)}>
        <h3>{t('apiKeys.new')}</h3>
        <div className="field">
          <label htmlFor="api-key-name">{t('auth.name')}</label>
          <input id="api-key-name" required maxLength={80} value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <fieldset className="field">
          <legend>{t('apiKeys.scopes')}</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="checkbox">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(event) => setScopes((current) => (event.target.checked ? [...current, scope] : current.filter((other) => other !== scope)))}
              />
              <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={!name.trim() || scopes.length === 0}>
            {t('admin.create')}
          </button>
        </div>
      </form>
      {secret && (
        <div className="notice notice-success stack-sm" role="status">
          <p>{t('apiKeys.showOnce')}</p>
          <code className="secret">{secret}</code>
          <div className="button-row">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(secret).then(() => announce(t('apiKeys.copied')))}>
              {t('apiKeys.copy')}
            </button>
            <button type="button" onClick={() => setSecret(null)}>
              {t('apiKeys.dismiss')}
            </button>
          </div>
        </div>
      )}
      <ErrorNotice error={error ?? keys.error} />
      {!keys.data ? (
        <Loading />
      ) : keys.data.length === 0 ? (
        <p className="muted">{t('apiKeys.none')}</p>
      ) : (
        <ul className="admin-list">
          {keys.data.map((key) => (
            <li key={key.id} className={`card${key.revokedAt ? ' is-disabled' : ''}`}>
              <div className="admin-item">
                <div>
                  <strong>{key.name}</strong> <code>{key.prefix}…</code>
                  <p className="muted">
                    {key.scopes.join(', ')} · {t('apiKeys.createdAt', { when: date(key.createdAt) })} ·{' '}
                    {key.lastUsedAt ? t('apiKeys.lastUsed', { when: date(key.lastUsedAt) }) : t('apiKeys.neverUsed')}
                    {key.revokedAt && ` · ${t('apiKeys.revokedAt', { when: date(key.revokedAt) })}`}
                  </p>
                </div>
                {!key.revokedAt && (
                  <button type="button" className="button-danger" onClick={() => void revoke(key)} aria-label={t('apiKeys.revokeNamed', { name: key.name })}>
                    {t('apiKeys.revoke')}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
