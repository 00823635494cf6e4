import { useId, useState, type FormEvent } from 'react';
import { validityMessage } from '../forms/validation.js';
import { useAction } from '../hooks.js';
import { useT } from '../i18n/index.js';
import { clearSaved, confirmSaved } from './SavedStatus.js';
import { ErrorNotice } from './ui.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'number' | 'tel' | 'select';
  required?: boolean;
  options?: { value: string; label: string }[];
  /** An HTML pattern (compiled by browsers with the `v` flag: escape `( ) [ ] { } / - |` in classes). */
  pattern?: string;
  /** What to say when the value does not match `pattern` (default: a generic sentence). */
  invalidMessage?: string;
  hint?: string;
  step?: string;
  minLength?: number;
}

export type FormValues = Record<string, string>;

type FieldElement = HTMLInputElement | HTMLSelectElement;

/**
 * A labelled form built from field specs: the admin screens' create and edit forms. It
 * validates itself (noValidate) and says what is wrong under each field, in the user's
 * language. `onSubmit` throws to show an error; it may resolve to the sentence confirming
 * the change, shown in the page's saved status (else `savedMessage`, else "Saved").
 * On success the form resets (create) or closes.
 */
export function SimpleForm(props: {
  fields: FieldSpec[];
  initial?: FormValues;
  submitLabel: string;
  onSubmit: (values: FormValues) => Promise<string | void>;
  onCancel?: () => void;
  savedMessage?: string;
  inline?: boolean;
}) {
  const { fields, initial = {}, submitLabel, onSubmit, onCancel, savedMessage, inline } = props;
  const translator = useT();
  const { t } = translator;
  const prefix = useId();
  const [values, setValues] = useState<FormValues>(initial);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const { run, busy, error } = useAction(async () => {
    clearSaved();
    const confirmation = await onSubmit(values);
    if (!onCancel) setValues(initial);
    confirmSaved(confirmation || savedMessage || t('common.saved'));
  });

  const check = (form: HTMLFormElement): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const field of fields) {
      const element = form.elements.namedItem(field.name) as FieldElement | null;
      if (!element) continue;
      // A value the page set (not typed) does not raise tooShort in browsers: check it here.
      const short = field.minLength !== undefined && element.value.length > 0 && element.value.length < field.minLength;
      const message = short ? t('validation.tooShort', { n: field.minLength!, current: element.value.length }) : validityMessage(element, translator, field.invalidMessage);
      if (message) found[field.name] = message;
    }
    return found;
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const found = check(form);
    setInvalid(found);
    const first = fields.find((field) => found[field.name]);
    if (first) {
      clearSaved();
      (form.elements.namedItem(first.name) as FieldElement | null)?.focus();
      return;
    }
    void run();
  };

  return (
    <form className={inline ? 'simple-form simple-form-inline' : 'simple-form'} onSubmit={submit} noValidate>
      <div className="form-grid">
        {fields.map((field) => {
          const id = `${prefix}-${field.name}`;
          const value = values[field.name] ?? '';
          const problem = invalid[field.name];
          const set = (next: string) => {
            setValues((current) => ({ ...current, [field.name]: next }));
            if (problem) setInvalid((current) => ({ ...current, [field.name]: '' }));
          };
          const describedBy = [field.hint && `${id}-hint`, problem && `${id}-error`].filter(Boolean).join(' ') || undefined;
          const common = { id, name: field.name, required: field.required, 'aria-invalid': problem ? true : undefined, 'aria-describedby': describedBy };
          return (
            <div className="field" key={field.name}>
              <label htmlFor={id}>
                {field.label}
                {!field.required && <span className="muted"> ({t('common.optional')})</span>}
              </label>
              {field.type === 'select' ? (
                <select {...common} value={value} onChange={(event) => set(event.target.value)}>
                  {field.options?.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  {...common}
                  type={field.type ?? 'text'}
                  pattern={field.pattern}
                  step={field.step}
                  minLength={field.minLength}
                  value={value}
                  onChange={(event) => set(event.target.value)}
                />
              )}
              {field.hint && (
                <p id={`${id}-hint`} className="hint">
                  {field.hint}
                </p>
              )}
              {problem && (
                <p id={`${id}-error`} className="field-error">
                  {problem}
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
