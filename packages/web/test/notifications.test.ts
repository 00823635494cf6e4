import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../../server/test/helpers/wait.js';
import { cspViolations, newPage, screenshot, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The user-facing half of notifications in a real browser: the bell and the alerts on the
 * board arrive live, and preferences saved in the browser change the e-mail the server
 * sends (read back from the dev mailbox and the outbox).
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

interface PageGlobals {
  alertBeeps: number;
  notReloaded?: boolean;
  document: { title: string };
  localStorage: { getItem(key: string): string | null };
}
const page$ = (page: Page) => ({
  beeps: () => page.evaluate(() => (globalThis as unknown as PageGlobals).alertBeeps),
  title: () => page.evaluate(() => (globalThis as unknown as PageGlobals).document.title),
  mark: () => page.evaluate(() => void ((globalThis as unknown as PageGlobals).notReloaded = true)),
  marked: () => page.evaluate(() => (globalThis as unknown as PageGlobals).notReloaded === true),
  stored: (key: string) => page.evaluate((name) => (globalThis as unknown as PageGlobals).localStorage.getItem(name), key),
});

describe('notifications in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  const report = async (urgency: 'high' | 'critical', description: string) => {
    const token = await app.login(DEMO.student.email, DEMO.student.password);
    const created = await app.request('POST', '/api/incidents', { token, body: { category: 'security', urgency, locationCode: 'A-301', description } });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string; title: string };
  };
  /** The authority's e-mail row about one incident, once it reached `status`. */
  const emailRow = async (incidentId: string, status: string) => {
    const admin = await app.adminToken();
    return waitFor(
      async () => {
        const rows = await app.request('GET', `/api/notifications?incidentId=${incidentId}&channel=email`, { token: admin });
        const row = (rows.body.items as { id: string; to: string; status: string; skipReason: string | null }[]).find((item) => item.to === DEMO.authority.email);
        return row?.status === status ? row : undefined;
      },
      15_000,
      `the authority's e-mail about ${incidentId} to be ${status}`,
    );
  };
  const mailbox = async () =>
    (await app.request('GET', '/api/dev/mailbox?limit=200', { token: await app.adminToken() })).body.items as { notificationId: string; to: string; subject: string; text: string }[];

  it('an authority watching the board gets a toast, a beep and the bell count live; marking read clears them', async () => {
    const page = await newPage(browser, app.url);
    // Counts the oscillators the app starts: the beep is made with Web Audio, not a file.
    await page.addInitScript(() => {
      const scope = globalThis as unknown as PageGlobals & { OscillatorNode: { prototype: { start: (...args: unknown[]) => void } } };
      scope.alertBeeps = 0;
      const start = scope.OscillatorNode.prototype.start;
      scope.OscillatorNode.prototype.start = function (this: unknown, ...args: unknown[]) {
        scope.alertBeeps += 1;
        return start.apply(this, args);
      };
    });
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    await page.locator('.connection-live').waitFor();
    await page.getByRole('link', { name: 'Notificaciones', exact: true }).waitFor();
    assert.equal(await page$(page).title(), 'Tablero de incidentes · AlertaUTEC');
    await page$(page).mark();

    const incident = await report('critical', 'Sale humo del tablero eléctrico del aula A-301.');
    const toast = page.getByRole('alert').filter({ hasText: incident.title });
    await toast.waitFor();
    assert.match(await toast.innerText(), /Incidente crítico/);
    await page.getByRole('link', { name: 'Notificaciones: 1 sin leer' }).waitFor();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.title.startsWith('(1) '));
    assert.equal(await page$(page).title(), '(1) Tablero de incidentes · AlertaUTEC');
    assert.equal(await page$(page).marked(), true, 'the page was never reloaded');
    assert.equal(await page.locator('.toast').count(), 1, 'the incident event and the notification make one alert');
    assert.equal(await page$(page).beeps(), 1, 'one beep');
    await screenshot(page, 'board-critical-alert');

    // The sound can be switched off, and stays off.
    const sound = page.getByRole('button', { name: 'Sonido de alerta' });
    assert.equal(await sound.getAttribute('aria-pressed'), 'true');
    await sound.click();
    assert.equal(await sound.getAttribute('aria-pressed'), 'false');
    assert.equal(await page$(page).stored('alertautec.alertSound'), 'off');
    const quiet = await report('critical', 'Cable pelado junto a la puerta del laboratorio L-2.');
    await page.getByRole('alert').filter({ hasText: quiet.title }).waitFor();
    await page.getByRole('link', { name: 'Notificaciones: 2 sin leer' }).waitFor();
    assert.equal(await page$(page).beeps(), 1, 'no beep with the sound off');

    // The notification centre: links to the incidents, and "mark all as read".
    await page.getByRole('link', { name: 'Notificaciones: 2 sin leer' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notificaciones' }).waitFor();
    const item = page.locator('.notification-item', { hasText: incident.title });
    assert.equal(await item.getByRole('link').getAttribute('href'), `/incidents/${incident.id}`);
    assert.equal(await page.locator('.notification-item.is-unread').count(), 2);
    await page.getByRole('button', { name: 'Marcar todas como leídas' }).click();
    await page.getByRole('link', { name: 'Notificaciones', exact: true }).waitFor();
    assert.equal(await page.locator('.notification-item.is-unread').count(), 0);
    assert.equal(await page$(page).title(), 'Notificaciones · AlertaUTEC');
    const token = await app.login(DEMO.authority.email, DEMO.authority.password);
    assert.equal((await app.request('GET', '/api/me/notifications', { token })).body.unread, 0, 'read on the server too');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Notificaciones' }).waitFor();
    await page.getByRole('link', { name: 'Notificaciones', exact: true }).waitFor();
    await page.goto('/board');
    assert.equal(await page.getByRole('button', { name: 'Sonido de alerta' }).getAttribute('aria-pressed'), 'false', 'the sound choice is remembered');

    // An escalation alerts too, whatever the incident's urgency.
    await page.locator('.connection-live').waitFor();
    const high = await report('high', 'La alarma contra incendios del pabellón C suena sin parar.');
    const escalated = await app.request('PATCH', `/api/incidents/${high.id}`, { token: await app.adminToken(), body: { status: 'escalated' } });
    assert.equal(escalated.status, 200, escalated.text);
    const escalation = page.getByRole('alert').filter({ hasText: high.title });
    await escalation.waitFor();
    assert.match(await escalation.innerText(), /Incidente escalado/);
    assert.deepEqual(cspViolations(page), []);
    await page.context().close();
  });

  it('preferences saved in the browser: English e-mail, then e-mail off skips the next non-critical one', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.getByRole('link', { name: 'Preferencias' }).click();
    await page.getByRole('heading', { level: 1, name: 'Preferencias de notificación' }).waitFor();
    await page.getByText('Las alertas de incidentes críticos y las escalaciones no se pueden silenciar').waitFor();

    await page.getByLabel('Idioma').selectOption('en');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Notification preferences' }).waitFor();
    await page.getByText('Preferences saved.').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    const english = await report('high', 'La puerta de emergencia del pabellón B no cierra.');
    const sent = await emailRow(english.id, 'sent');
    const mail = await waitFor(async () => (await mailbox()).find((item) => item.notificationId === sent.id), 15_000, 'the e-mail in the dev mailbox');
    assert.equal(mail.to, DEMO.authority.email);
    assert.match(mail.subject, /New high urgency incident/);

    // The server's refusals, in the user's language.
    await page.getByRole('switch', { name: 'SMS' }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'To receive SMS, enter your phone number.' }).waitFor();
    await page.getByRole('switch', { name: 'SMS' }).uncheck();
    await page.getByRole('radio', { name: 'Hold non-critical e-mail and SMS between' }).check();
    await page.getByLabel('From').fill('07:00');
    await page.getByLabel('To', { exact: true }).fill('07:00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').filter({ hasText: 'Quiet hours must start and end at different times.' }).waitFor();
    await screenshot(page, 'preferences-error-english');
    await page.getByRole('radio', { name: 'No quiet hours' }).check();

    await page.getByRole('switch', { name: 'E-mail' }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Preferences saved.').waitFor();
    const token = await app.login(DEMO.authority.email, DEMO.authority.password);
    assert.deepEqual((await app.request('GET', '/api/me/preferences', { token })).body, { language: 'en', phone: null, channels: { email: false, sms: false }, quietHours: null });

    const muted = await report('high', 'Se desprendió una baldosa del techo del pasillo C.');
    const skipped = await emailRow(muted.id, 'skipped');
    assert.match(skipped.skipReason ?? '', /^opted_out/);
    assert.equal((await mailbox()).some((item) => item.notificationId === skipped.id), false, 'nothing reached the mailbox');
    assert.deepEqual(cspViolations(page), []);
    await page.context().close();
  });
});
