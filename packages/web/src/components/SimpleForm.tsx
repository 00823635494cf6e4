import { useId, useState, type FormEvent } from 'react';
import { announce } from '../announcer.js';
import { useAction } from '../hooks.js';
import { useT } from '../i18n/index.js';
import { ErrorNotice } from './ui.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'tel' | 'select';
  required?: boolean;
  options?: { value: string; label: string }[];
  pattern?: string;
  hint?: string;
  step?: string;
  minLength?: number;
}

export type FormValues = Record<string, string>;

/**
 * A labelled form built from field specs: the admin screens' create and edit forms.
 * `onSubmit` throws to show an error; on success the form resets (create) or closes.
 */
export function SimpleForm(props: {
  fields: FieldSpec[];
  initial?: FormValues;
  submitLabel: string;
  onSubmit: (values: FormValues) => Promise<void>;
  onCancel?: () => void;
  savedMessage?: string;
  inline?: boolean;
}) {
  const { fields, initial = {}, submitLabel, onSubmit, onCancel, savedMessage, inline } = props;
  const { t } = useT();
  const prefix = useId();
  const [values, setValues] = useState<FormValues>(initial);
  const { run, busy, error } = useAction(async () => {
    await onSubmit(values);
    if (!onCancel) setValues(initial);
    announce(savedMessage ?? t('common.saved'));
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  return (
    <form className={inline ? 'simple-form simple-form-inline' : 'simple-form'} onSubmit={submit}>
      <div className="form-grid">
        {fields.map((field) => {
          const id = `${prefix}-${field.name}`;
          const value = values[field.name] ?? '';
          const set = (next: string) => setValues((current) => ({ ...current, [field.name]: next }));
          return (
            <div className="field" key={field.name}>
              <label htmlFor={id}>
                {field.label}
                {!field.required && <span className="muted"> ({t('common.optional')})</span>}
              </label>
              {field.type === 'select' ? (
                <select id={id} required={field.required} value={value} onChange={(event) => set(event.target.value)}>
                  {field.options?.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={id}
                  type={field.type ?? 'text'}
                  required={field.required}
                  pattern={field.pattern}
                  step={field.step}
                  minLength={field.minLength}
                  aria-describedby={field.hint ? `${id}-hint` : undefined}
                  value={value}
                  onChange={(event) => set(event.target.value)}
                />
              )}
              {field.hint && (
                <p id={`${id}-hint`} className="hint">
                  {field.hint}
                </p>
              )}
            </div>
          );
        })}
      </div>
      <ErrorNotice error={error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
