import { useState } from 'react';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';

export interface ConfirmedAction<A extends unknown[]> {
  run: (...args: A) => Promise<boolean>;
  busy: boolean;
  error: unknown;
  /** The sentence confirming the last success; null while running or after a failure. */
  done: string | null;
}

/**
 * An admin action that says how it went: the action resolves to the sentence confirming
 * it ("Rule turned off."), shown as a status message; a failure shows the problem's text
 * in the user's language instead.
 */
export function useConfirmedAction<A extends unknown[]>(action: (...args: A) => Promise<string>): ConfirmedAction<A> {
  const [done, setDone] = useState<string | null>(null);
  const inner = useAction(async (...args: A) => {
    setDone(null);
    setDone(await action(...args));
  });
  return { ...inner, done };
}

/** The outcome of an action: its error (role alert) or its confirmation (role status). */
export function ActionFeedback({ action }: { action: { error: unknown; done: string | null } }) {
  if (action.error) return <ErrorNotice error={action.error} />;
  if (!action.done) return null;
  return (
    <p className="notice notice-success" role="status">
      {action.done}
    </p>
  );
}
