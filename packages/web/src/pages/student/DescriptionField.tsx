import { forwardRef } from 'react';
import { useT } from '../../i18n/index.js';

/** Length as the server counts it (JSON Schema maxLength: Unicode code points). */
export const textLength = (text: string): number => [...text].length;

/**
 * The description with a visible counter. Nothing is cut: past the server's maximum
 * (GET /api/config) the counter turns red, the field is marked invalid, and the form
 * refuses to go on (ReportPage) with the message shown here.
 */
export const DescriptionField = forwardRef<HTMLTextAreaElement, { value: string; onChange: (value: string) => void; max: number | null }>(
  function DescriptionField({ value, onChange, max }, ref) {
    const { t, number } = useT();
    const length = textLength(value);
    const over = max !== null && length > max;
    return (
      <div className="field">
        <label htmlFor="report-description">{t('incident.description')}</label>
        <textarea
          ref={ref}
          id="report-description"
          required
          rows={5}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-invalid={over || undefined}
          aria-describedby={over ? 'report-description-count report-description-error' : 'report-description-count'}
        />
        <p id="report-description-count" className={over ? 'hint counter is-over' : 'hint counter'}>
          {max === null ? number(length) : t('report.description.count', { n: number(length), max: number(max) })}
        </p>
        {over && (
          <p id="report-description-error" className="notice notice-error" role="alert">
            {t('report.description.tooLong', { max: number(max), over: number(length - max) })}
          </p>
        )}
      </div>
    );
  },
);
