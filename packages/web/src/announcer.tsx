import { useSyncExternalStore } from 'react';

/**
 * One polite live region for the whole app: status changes, saved forms and live
 * events are announced to screen readers through `announce()`.
 */
let message = '';
let counter = 0;
const listeners = new Set<() => void>();

export function announce(text: string): void {
  // A counter-based key re-announces an identical message.
  counter += 1;
  message = text;
  listeners.forEach((listener) => listener());
}

export function LiveRegion() {
  const text = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => message,
  );
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
      <span key={counter}>{text}</span>
    </div>
  );
}
