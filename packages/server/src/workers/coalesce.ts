/**
 * Runs `work(key)` one at a time per key. A call while one is running does not queue a
 * second copy per call: all such calls share one re-run that starts after the current one,
 * so a burst of wake-ups costs at most one extra pass. `work` must not reject.
 */
export function coalescing(work: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const active = new Map<string, { again: Promise<void> | null; release: (() => void) | null }>();
  return (key) => {
    const running = active.get(key);
    if (running) {
      running.again ??= new Promise<void>((resolve) => (running.release = resolve));
      return running.again;
    }
    const entry: { again: Promise<void> | null; release: (() => void) | null } = { again: null, release: null };
    active.set(key, entry);
    return (async () => {
      await work(key);
      while (entry.again) {
        const release = entry.release!;
        entry.again = null;
        entry.release = null;
        await work(key);
        release();
      }
      active.delete(key);
    })();
  };
}
