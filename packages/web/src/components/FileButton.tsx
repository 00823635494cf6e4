import type { InputHTMLAttributes, Ref } from 'react';

/**
 * A file input that looks like our buttons and speaks the page's language (the native
 * one shows the browser's own words). The input stays real, so keyboard and screen
 * readers use it as usual.
 */
export function FileButton({ label, disabled, ref, ...input }: { label: string; ref?: Ref<HTMLInputElement> } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  return (
    <label className={`button file-button${disabled ? ' is-disabled' : ''}`}>
      <input {...input} ref={ref} type="file" className="visually-hidden" disabled={disabled} />
      {label}
    </label>
  );
}
