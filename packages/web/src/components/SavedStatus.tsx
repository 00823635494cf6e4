import { useEffect, useSyncExternalStore } from 'react';
import { announce } from '../announcer.js';

/**
 * The confirmation of the last admin change ("The changes to “Mantenimiento” were saved."):
 * a visible status line that is also a polite live region, so screen readers hear it. It is
 * always in the page (empty until something is saved): a region that exists before its
 * text changes is announced reliably. Without one on the page, `confirmSaved` announces only.
 */
let current: { text: string; at: number } | null = null;
let mounted = 0;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

export function confirmSaved(text: string): void {
  if (mounted === 0) return announce(text);
  current = { text, at: Date.now() };
  emit();
}

export function clearSaved(): void {
  if (!current) return;
  current = null;
  emit();
}

export function SavedStatus() {
  const saved = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    () => current,
  );
  useEffect(() => {
    mounted += 1;
    return () => {
      mounted -= 1;
      clearSaved();
    };
  }, []);
  return (
    <div className="saved-status" role="status" aria-live="polite" aria-atomic="true">
      {saved && (
        <p key={saved.at} className="notice notice-success">
          {saved.text}
        </p>
      )}
    </div>
  );
}
