/**
 * One send's abort signal: the caller's (job timeout, lost lease, shutdown) or our own
 * per-attempt deadline, whichever comes first. A hung provider then costs one attempt's
 * budget, not the whole job's; `timedOut()` tells the two apart so the channel can call a
 * timeout temporary and hand the caller's abort back unchanged.
 */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Clears the timer and the listener; call it when the attempt is over. */
  dispose(): void;
}

export function deadline(parent: AbortSignal, timeoutMs: number): Deadline {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  timer.unref();
  return {
    signal: controller.signal,
    timedOut: () => timedOut && !parent.aborted,
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}
