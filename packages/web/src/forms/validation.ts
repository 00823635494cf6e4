import { currentTranslator, type Translator } from '../i18n/index.js';

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const isField = (target: EventTarget | null): target is Field =>
  target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;

/**
 * The web app's own words for what is wrong with a form field (empty, not an e-mail, too
 * short, not matching its pattern…), read from the browser's `validity` of the element,
 * in the user's language. `formatMessage` words a pattern mismatch (a phone number);
 * without it, the element's `data-invalid-message`, else a generic sentence. '' when valid.
 */
export function validityMessage(field: Field, { t }: Pick<Translator, 't'>, formatMessage?: string): string {
  const validity = field.validity;
  if (validity.valid) return '';
  const choice = field instanceof HTMLSelectElement || (field instanceof HTMLInputElement && (field.type === 'checkbox' || field.type === 'radio'));
  if (validity.valueMissing) return t(choice ? 'validation.choose' : 'validation.required');
  if (validity.typeMismatch && field.type === 'email') return t('validation.email');
  if (validity.tooShort && !(field instanceof HTMLSelectElement)) return t('validation.tooShort', { n: field.minLength, current: field.value.length });
  if (validity.tooLong && !(field instanceof HTMLSelectElement)) return t('validation.tooLong', { n: field.maxLength });
  if (validity.badInput || validity.stepMismatch) return t('validation.number');
  if ((validity.rangeUnderflow || validity.rangeOverflow) && field instanceof HTMLInputElement) return t('validation.range', { min: field.min, max: field.max });
  if (validity.patternMismatch || validity.typeMismatch) return formatMessage ?? field.dataset.invalidMessage ?? t('validation.format');
  // A message some component set itself (already in the user's language).
  if (validity.customError) return field.validationMessage;
  return t('validation.format');
}

const worded = new WeakSet<Field>();

/**
 * Every form the browser validates shows the web app's own sentence in the user's
 * language instead of the browser's (which follows the browser's language, not the
 * app's): on `invalid` the field gets `setCustomValidity` with our words, cleared again
 * as soon as the field changes. A custom message a component set itself is left alone.
 * Forms that validate themselves (`noValidate`, see SimpleForm) use `validityMessage`.
 */
export function installValidationMessages(): void {
  document.addEventListener(
    'invalid',
    (event) => {
      const field = event.target;
      if (!isField(field) || (field.validity.customError && !worded.has(field))) return;
      field.setCustomValidity('');
      const message = validityMessage(field, currentTranslator());
      if (!message) return;
      field.setCustomValidity(message);
      worded.add(field);
    },
    true,
  );
  const clear = (event: Event) => {
    const field = event.target;
    if (!isField(field) || !worded.has(field)) return;
    worded.delete(field);
    field.setCustomValidity('');
  };
  document.addEventListener('input', clear, true);
  document.addEventListener('change', clear, true);
}
