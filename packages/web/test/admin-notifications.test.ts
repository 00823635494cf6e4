import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../../server/test/helpers/wait.js';
import { cspViolations, newPage, screenshot, signIn } from './helpers/browser.js';
import { startSmsGateway } from './helpers/sms-gateway.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The admin side of notifications in a real browser, against a real server with the dev
 * mailbox (no SMTP_URL) and a real SMS gateway that refuses the authority's number: rules,
 * the escalation policy, the outbox and its retry, the dev mailbox, and the jobs page.
 */
const AUTHORITY_PHONE = '+51987654321';
const sms = await startSmsGateway();
const setup = await startWebTest({ env: { SMS_WEBHOOK_URL: sms.url } });
const skip = 'skip' in setup ? setup.skip : false;
after(async () => {
  if ('close' in setup) await setup.close();
  await sms.close();
});

describe('admin: notifications, escalation, dev mailbox and jobs', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;
  let admin: Page;
  let incidentId = '';
  let adminToken = '';

  /** The outbox rows of the incident, as the API has them now. */
  const outbox = async (query: Record<string, string>) => {
    const response = await app.request('GET', `/api/notifications?${new URLSearchParams({ incidentId, limit: '200', ...query })}`, { token: adminToken });
    assert.equal(response.status, 200, response.text);
    return response.body.items as { id: string; to: string; status: string; channel: string }[];
  };

  before(async () => {
    // The authority takes SMS at a number the gateway refuses: the alert about a critical
    // incident is dead at once (a permanent failure), while its e-mail lands in the dev mailbox.
    sms.refusing.add(AUTHORITY_PHONE);
    adminToken = await app.login(DEMO.admin.email, DEMO.admin.password);
    const authority = await app.login(DEMO.authority.email, DEMO.authority.password);
    const preferences = await app.request('PUT', '/api/me/preferences', {
      token: authority,
      body: { language: 'es', phone: AUTHORITY_PHONE, channels: { email: true, sms: true }, quietHours: null },
    });
    assert.equal(preferences.status, 200, preferences.text);
    const student = await app.login(DEMO.student.email, DEMO.student.password);
    const created = await app.request('POST', '/api/incidents', {
      token: student,
      body: { category: 'security', urgency: 'critical', locationText: 'Puerta 3', description: 'Una persona desconocida intenta forzar la puerta 3.' },
    });
    assert.equal(created.status, 201, created.text);
    incidentId = created.body.id;
    await waitFor(async () => (await outbox({ channel: 'sms', status: 'dead' })).find((row) => row.to === AUTHORITY_PHONE), 15_000, 'the dead SMS');

    admin = await newPage(browser, app.url);
    await signIn(admin, DEMO.admin.email, DEMO.admin.password);
  });

  it('switches a rule off, and it stays off after a reload', async () => {
    await admin.goto('/admin/rules');
    const rule = admin.getByRole('switch', { name: 'Regla «Comentario del personal» activa' });
    assert.equal(await rule.isChecked(), true);
    await rule.uncheck();
    await admin.getByRole('status').filter({ hasText: 'Regla «Comentario del personal» desactivada.' }).waitFor();
    await screenshot(admin, 'admin-rules');

    await admin.reload();
    const reloaded = admin.getByRole('switch', { name: 'Regla «Comentario del personal» activa' });
    await reloaded.waitFor();
    assert.equal(await reloaded.isChecked(), false);
    assert.equal(await admin.getByRole('switch', { name: 'Regla «Incidente urgente» activa' }).isChecked(), true, 'the other rules are untouched');
    const rules = await app.request('GET', '/api/notification-rules', { token: adminToken });
    assert.equal(rules.body.items.find((item: { id: string }) => item.id === 'staff_comment').enabled, false);
  });

  it('adds a level to the escalation policy; an invalid one is refused before sending', async () => {
    await admin.goto('/admin/escalation');
    await admin.getByRole('group', { name: 'Nivel 2' }).waitFor();
    await admin.getByRole('button', { name: 'Agregar nivel' }).click();
    const level = admin.getByRole('group', { name: 'Nivel 3' });
    await level.getByLabel('Minutos después del nivel anterior').fill('0');
    await admin.getByRole('button', { name: 'Guardar política' }).click();
    await admin.getByRole('alert').filter({ hasText: 'Nivel 3: los minutos deben ser más de 0 y hasta 10080.' }).waitFor();

    await level.getByLabel('Minutos después del nivel anterior').fill('45');
    await level.getByRole('checkbox', { name: 'Administrador' }).check();
    await level.getByRole('checkbox', { name: 'Avisar al contacto del área del incidente' }).check();
    await level.getByRole('checkbox', { name: 'SMS' }).check();
    await admin.getByLabel('Repeticiones').fill('2');
    await admin.getByRole('button', { name: 'Guardar política' }).click();
    await admin.getByRole('status').filter({ hasText: 'Política de escalamiento guardada.' }).waitFor();
    await screenshot(admin, 'admin-escalation');

    const stored = await app.request('GET', '/api/escalation-policy', { token: adminToken });
    assert.deepEqual(stored.body, {
      levels: [
        { afterMinutes: 15, notify: { roles: ['authority'] }, channels: ['email'] },
        { afterMinutes: 45, notify: { roles: ['authority', 'admin'], departmentContact: true }, channels: ['email', 'sms'] },
      ],
      repeat: 2,
    });
    await admin.reload();
    const saved = admin.getByRole('group', { name: 'Nivel 3' });
    assert.equal(await saved.getByLabel('Minutos después del nivel anterior').inputValue(), '45');
    assert.equal(await saved.getByRole('checkbox', { name: 'Avisar al contacto del área del incidente' }).isChecked(), true);
  });

  it('shows the dead SMS in the outbox and retries it: pending, then sent', async () => {
    sms.refusing.delete(AUTHORITY_PHONE); // the gateway takes the number now
    await admin.goto('/admin/outbox');
    await admin.getByLabel('Estado').selectOption({ label: 'Fallida' });
    await admin.getByLabel('Canal').selectOption({ label: 'SMS' });
    const row = admin.locator('tr', { hasText: AUTHORITY_PHONE });
    await row.getByText('Fallida').waitFor();
    await row.getByText('SMS webhook answered 400').waitFor(); // lastError: the gateway's refusal
    assert.equal(await row.getByRole('link', { name: 'Ver incidente' }).getAttribute('href'), `/incidents/${incidentId}`);
    await screenshot(admin, 'admin-outbox');

    await row.getByRole('button', { name: /^Reintentar/ }).click();
    await admin.getByRole('status').filter({ hasText: `La notificación a ${AUTHORITY_PHONE} volvió a la cola.` }).waitFor();
    await row.getByText('Pendiente').waitFor();
    assert.equal(await row.getByRole('button', { name: /^Reintentar/ }).count(), 0, 'a pending row has no retry');

    // The delivery job sends it again; the gateway answers 200 this time.
    await waitFor(async () => (await outbox({ channel: 'sms' })).find((item) => item.to === AUTHORITY_PHONE && item.status === 'sent'), 15_000, 'the SMS sent');
    assert.ok(sms.received.some((message) => message.to === AUTHORITY_PHONE && message.status === 200));
    await admin.getByLabel('Estado').selectOption({ label: 'Enviada' });
    await admin.locator('tr', { hasText: AUTHORITY_PHONE }).getByText('Enviada').waitFor();
  });

  it('opens the dev mailbox and reads an e-mail', async () => {
    await admin.goto('/admin/outbox');
    await admin.getByRole('link', { name: 'Buzón de prueba' }).click();
    const mail = admin.locator('details.mail', { hasText: DEMO.authority.email });
    await mail.first().waitFor();
    assert.equal(await mail.first().locator('.mail-lang').textContent(), 'Español');
    await mail.first().locator('summary').click();
    await mail.first().getByText(`/incidents/${incidentId}`).waitFor();
    assert.match((await mail.first().locator('summary strong').textContent()) ?? '', /crítica/);
    await screenshot(admin, 'admin-mailbox');
  });

  it('runs the housekeeping job from the jobs page and sees it succeed', async () => {
    await admin.goto('/admin/jobs');
    // The schedules table (the runs history below has housekeeping rows too).
    const row = admin.getByRole('table', { name: 'Tareas programadas y su última ejecución.' }).locator('tr', { hasText: 'housekeeping' });
    await row.getByText('7 * * * *').waitFor();
    await row.getByRole('button', { name: 'Ejecutar ahora: housekeeping' }).click();
    await admin.getByRole('status').filter({ hasText: 'housekeeping: Completada.' }).waitFor({ timeout: 20_000 });
    await row.getByText('Completada').waitFor();
    const runs = await app.request('GET', '/api/jobs/runs?name=housekeeping', { token: adminToken });
    assert.equal(runs.body.items[0].state, 'succeeded');
    await screenshot(admin, 'admin-jobs');
    assert.deepEqual(cspViolations(admin), []);
    await admin.context().close();
  });
});
