import type { TestApp } from '../helpers/app.js';
import { waitFor } from '../helpers/wait.js';

/** The outbox rows of one incident (admin API), every page. */
export async function outbox(t: TestApp, query: Record<string, string>) {
  const search = new URLSearchParams({ limit: '200', ...query });
  const response = await t.request('GET', `/api/notifications?${search}`, { token: await t.adminToken() });
  if (response.status !== 200) throw new Error(`outbox: ${response.status} ${response.text}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return response.body.items as any[];
}

/** Waits until the notifier's cursor has passed everything in the tenant's log. */
export async function notifierCaughtUp(t: TestApp) {
  const { db } = t.system.store;
  await waitFor(async () => {
    const head = await db.selectFrom('log_heads').select('seq').executeTakeFirst();
    const cursor = await db.selectFrom('consumer_cursors').select('seq').where('consumer', '=', 'notifier').executeTakeFirst();
    return head && cursor && Number(cursor.seq) >= Number(head.seq);
  }, 10_000, 'the notifier to catch up');
}

export async function setPreferences(t: TestApp, token: string, preferences: Partial<{ language: 'es' | 'en'; phone: string | null; channels: { email: boolean; sms: boolean }; quietHours: { from: string; to: string } | null }>) {
  const response = await t.request('PUT', '/api/me/preferences', {
    token,
    body: { language: 'es', phone: null, channels: { email: true, sms: false }, quietHours: null, ...preferences },
  });
  if (response.status !== 200) throw new Error(`preferences: ${response.status} ${response.text}`);
}
