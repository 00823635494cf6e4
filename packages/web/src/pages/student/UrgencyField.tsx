import { URGENCIES } from '@alertautec/core';
import type { Urgency } from '../../api/types.js';
import { useT } from '../../i18n/index.js';

/** Urgency as radios, each with one line saying when to choose it. */
export function UrgencyField({ value, onChange }: { value: Urgency; onChange: (urgency: Urgency) => void }) {
  const { t } = useT();
  return (
    <fieldset className="field urgency-field">
      <legend>{t('report.urgency')}</legend>
      <div className="urgency-options">
        {URGENCIES.map((urgency) => (
          <label key={urgency} className={`urgency-option urgency-option-${urgency}`}>
            <input
              type="radio"
              name="urgency"
              value={urgency}
              checked={value === urgency}
              onChange={() => onChange(urgency)}
              aria-describedby={`urgency-${urgency}-hint`}
            />
            <span className="urgency-option-text">
              <strong>{t(`urgency.${urgency}`)}</strong>
              <span id={`urgency-${urgency}-hint`} className="hint">
                {t(`urgency.${urgency}.hint`)}
              </span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
