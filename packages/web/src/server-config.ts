import { useSyncExternalStore } from 'react';
import { serverConfig } from './api/endpoints.js';
import type { PublicConfig } from './api/types.js';

/**
 * The server's public configuration (GET /api/config): attachment limits, text lengths, the
 * emergency number. Fetched once and shared; a failed fetch is tried again on the next use.
 * The web app never copies these limits into constants of its own.
 */
let value: PublicConfig | null = null;
let pending: Promise<void> | null = null;
const listeners = new Set<() => void>();

function load(): void {
  pending = serverConfig
    .get()
    .then((config) => {
      value = config;
      listeners.forEach((listener) => listener());
    })
    .catch(() => {
      pending = null;
    });
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** The configuration, or null while it loads. */
export function useServerConfig(): PublicConfig | null {
  const current = useSyncExternalStore(subscribe, () => value);
  if (!current && !pending) load();
  return current;
}

/** A `tel:` link for a phone number as people write it ("+51 1 555 0100" → "tel:+5115550100"). */
export const telHref = (phone: string): string => `tel:${phone.replace(/[^\d+]/g, '')}`;
