import { notificationAdmin } from '../../api/endpoints.js';
import type { NotificationChannel, NotificationRule } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { ActionFeedback, useConfirmedAction } from './AdminFeedback.js';
import { ChannelCheckboxes } from './ChannelCheckboxes.js';

/** The notification rules: who is told what; each can be switched off or sent on other channels. */
export function RulesAdmin() {
  const { t, tOr } = useT();
  const rules = useLoad(() => notificationAdmin.rules().then((list) => list.items), []);
  const save = useConfirmedAction(async (rule: NotificationRule, change: { enabled?: boolean; channels?: NotificationChannel[] }) => {
    const put = (next: NotificationRule) => rules.setData((current) => current?.map((row) => (row.id === next.id ? next : row)));
    // The switch moves at once; it goes back if the server refuses.
    put({ ...rule, ...change });
    try {
      put(await notificationAdmin.updateRule(rule.id, change));
    } catch (error) {
      put(rule);
      throw error;
    }
    const name = tOr(`rule.${rule.id}`, rule.id);
    if (change.enabled !== undefined) return t(change.enabled ? 'rules.switchedOn' : 'rules.switchedOff', { name });
    return t('rules.channelsSaved', { name });
  });

  return (
    <div className="stack">
      <p className="muted">{t('rules.lead')}</p>
      <ActionFeedback action={save} />
      <ErrorNotice error={rules.error} />
      {!rules.data ? (
        <Loading />
      ) : (
        <ul className="admin-list">
          {rules.data.map((rule) => {
            const name = tOr(`rule.${rule.id}`, rule.id);
            return (
              <li key={rule.id} className={`card rule-card${rule.enabled ? '' : ' is-disabled'}`}>
                <div className="admin-item">
                  <div>
                    <h3 id={`rule-${rule.id}`}>{name}</h3>
                    <p className="muted">{tOr(`rule.${rule.id}.when`, rule.condition)}</p>
                    <p className="muted">
                      {t('rules.recipients')}: {rule.recipients.map((group) => tOr(`recipients.${group}`, group)).join(', ')}
                    </p>
                  </div>
                  <label className="checkbox switch">
                    <input
                      type="checkbox"
                      role="switch"
                      checked={rule.enabled}
                      aria-label={t('rules.enabledNamed', { name })}
                      onChange={(event) => void save.run(rule, { enabled: event.target.checked })}
                    />
                    <span aria-hidden="true">{rule.enabled ? t('rules.on') : t('rules.off')}</span>
                  </label>
                </div>
                <ChannelCheckboxes
                  legend={t('rules.channelsOf', { name })}
                  value={rule.channels}
                  onChange={(channels) => void save.run(rule, { channels })}
                />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
