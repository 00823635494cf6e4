import { ESCALATION_ROLES } from '@alertautec/core';
import type { EscalationLevel, EscalationRole } from '../../api/types.js';
import { useT } from '../../i18n/index.js';
import { ChannelCheckboxes } from './ChannelCheckboxes.js';

/**
 * One level of the escalation policy. `afterMinutes` is kept as typed (a string) until the
 * policy is checked, so a half-typed number is not lost or coerced while editing.
 */
export interface LevelDraft extends Omit<EscalationLevel, 'afterMinutes'> {
  afterMinutes: string;
}

export function EscalationLevelEditor(props: { level: LevelDraft; index: number; onChange: (level: LevelDraft) => void; onRemove?: () => void }) {
  const { level, index, onChange, onRemove } = props;
  const { t } = useT();
  const number = index + 2; // level 1 is the SLA breach itself
  const roles = level.notify.roles ?? [];
  const setRole = (role: EscalationRole, on: boolean) =>
    onChange({ ...level, notify: { ...level.notify, roles: ESCALATION_ROLES.filter((other) => (other === role ? on : roles.includes(other))) } });
  const id = `escalation-level-${index}`;

  return (
    <fieldset className="card stack-sm escalation-level">
      <legend>{t('escalation.level', { n: number })}</legend>
      <div className="field field-narrow">
        <label htmlFor={`${id}-after`}>{index === 0 ? t('escalation.afterBreach') : t('escalation.afterPrevious')}</label>
        <input
          id={`${id}-after`}
          type="number"
          inputMode="decimal"
          min="0"
          max="10080"
          step="any"
          required
          aria-describedby={`${id}-after-hint`}
          value={level.afterMinutes}
          onChange={(event) => onChange({ ...level, afterMinutes: event.target.value })}
        />
        <p id={`${id}-after-hint`} className="hint">
          {t('escalation.minutesHint')}
        </p>
      </div>
      <fieldset className="field">
        <legend>{t('escalation.notifyRoles')}</legend>
        {ESCALATION_ROLES.map((role) => (
          <label key={role} className="checkbox">
            <input type="checkbox" checked={roles.includes(role)} onChange={(event) => setRole(role, event.target.checked)} />
            {t(`role.${role}`)}
          </label>
        ))}
      </fieldset>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={level.notify.departmentContact ?? false}
          onChange={(event) => onChange({ ...level, notify: { ...level.notify, departmentContact: event.target.checked } })}
        />
        {t('escalation.departmentContact')}
      </label>
      {(level.notify.userIds?.length ?? 0) > 0 && <p className="hint">{t('escalation.namedUsers', { n: level.notify.userIds!.length })}</p>}
      <ChannelCheckboxes legend={t('escalation.channels')} value={level.channels} onChange={(channels) => onChange({ ...level, channels })} />
      {onRemove && (
        <div className="button-row">
          <button type="button" className="button-danger" onClick={onRemove}>
            {t('escalation.removeLevel', { n: number })}
          </button>
        </div>
      )}
    </fieldset>
  );
}
