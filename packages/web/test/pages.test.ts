import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { cspViolations, describeViolations, newPage, screenshot, seriousViolations, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * Every main page in Spanish: no serious or critical axe-core violations, a screenshot
 * at desktop and phone width (test-results/screenshots/), and the switch to English.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

/** A desktop and a phone, with the suffix their screenshots get. */
const WIDTHS = [
  [1280, ''],
  [390, '-phone'],
] as const;

async function checkPage(page: Page, path: string, heading: string, name: string): Promise<void> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  // Every section that loads on its own (the jobs page has two) has finished loading.
  await page.waitForFunction(() => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> } }).document;
    return Array.from(doc.querySelectorAll('[role=status]')).every((element) => !element.textContent?.includes('Cargando'));
  });
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${path}:\n${describeViolations(violations)}`);
  assert.deepEqual(cspViolations(page), [], `${path}: refused by the Content-Security-Policy`);
  await screenshot(page, name);
}

describe('main pages', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;
  let incidentId = '';
  let reportId = '';

  before(async () => {
    // A few incidents so lists, charts and the timeline have something to show.
    const token = await app.login(DEMO.student.email, DEMO.student.password);
    const reports = [
      { category: 'technology', urgency: 'medium', locationCode: 'A-301', description: 'El proyector del aula no enciende.' },
      { category: 'cleaning', urgency: 'low', locationCode: 'CAF-P1', description: 'Basurero lleno junto a la entrada de la cafetería.' },
      { category: 'security', urgency: 'critical', locationText: 'Estacionamiento de bicicletas', description: 'Candado forzado en el estacionamiento.' },
    ];
    for (const report of reports) {
      const created = await app.request('POST', '/api/incidents', { token, body: report });
      assert.equal(created.status, 201, created.text);
      incidentId ||= created.body.id;
    }
    const staff = await app.login(DEMO.authority.email, DEMO.authority.password);
    const moved = await app.request('PATCH', `/api/incidents/${incidentId}`, { token: staff, body: { status: 'in_progress', note: 'Soporte TI avisado' } });
    assert.equal(moved.status, 200, moved.text);
    const admin = await app.login(DEMO.admin.email, DEMO.admin.password);
    const report = await app.request('POST', '/api/reports', { token: admin, body: { kind: 'global' } });
    assert.equal(report.status, 202, report.text);
    reportId = report.body.id;
  });

  it('the sign-in, register and not-found pages are accessible, on a desktop and on a phone', async () => {
    for (const [width, suffix] of WIDTHS) {
      const page = await newPage(browser, app.url, width);
      await checkPage(page, '/login', 'Iniciar sesión', `sign-in-page${suffix}`);
      await checkPage(page, '/register', 'Crear cuenta', `register${suffix}`);
      await signIn(page, DEMO.student.email, DEMO.student.password);
      await checkPage(page, '/no-such-page', 'Página no encontrada', `not-found${suffix}`);
      await page.context().close();
    }
  });

  it("the student's pages are accessible, on a desktop and on a phone", async () => {
    for (const [width, suffix] of WIDTHS) {
      const page = await newPage(browser, app.url, width);
      await signIn(page, DEMO.student.email, DEMO.student.password);
      await checkPage(page, '/report', 'Reportar un incidente', `student-report${suffix}`);
      await checkPage(page, '/mine', 'Mis incidentes', `student-mine${suffix}`);
      await checkPage(page, `/incidents/${incidentId}`, 'El proyector del aula no enciende.', `student-incident${suffix}`);
      await checkPage(page, '/notifications', 'Notificaciones', `student-notifications${suffix}`);
      await checkPage(page, '/preferences', 'Preferencias de notificación', `student-preferences${suffix}`);
      await page.context().close();
    }
  });

  it('the board, incident, dashboard and admin pages are accessible, on a desktop and on a phone', async () => {
    for (const [width, suffix] of WIDTHS) {
      const page = await newPage(browser, app.url, width);
      await signIn(page, DEMO.admin.email, DEMO.admin.password);
      await checkPage(page, '/board', 'Tablero de incidentes', `board-admin${suffix}`);
      await checkPage(page, `/incidents/${incidentId}`, 'El proyector del aula no enciende.', `incident-admin${suffix}`);
      await checkPage(page, '/dashboard', 'Indicadores', `dashboard${suffix}`);
      await checkPage(page, '/notifications', 'Notificaciones', `notifications-admin${suffix}`);
      await checkPage(page, '/preferences', 'Preferencias de notificación', `preferences-admin${suffix}`);
      await checkPage(page, '/reports', 'Reportes', `reports${suffix}`);
      await checkPage(page, `/reports/${reportId}`, 'Global', `report-detail${suffix}`);
      await checkPage(page, '/admin/users', 'Administración', `admin-users${suffix}`);
      for (const section of ['departments', 'categories', 'locations', 'api-keys', 'outbox', 'rules', 'escalation', 'mailbox', 'jobs']) {
        await checkPage(page, `/admin/${section}`, 'Administración', `admin-${section}${suffix}`);
      }
      await page.context().close();
    }
  });

  it('the app and the API docs load under the CSP, which allows no inline script', async () => {
    const index = await app.request('GET', '/', { headers: { accept: 'text/html' } });
    assert.match(index.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const scripts = [...index.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attributes = '', body = ''] of scripts) assert.ok(/\bsrc=/.test(attributes) && body.trim() === '', `inline script in index.html: ${body.slice(0, 80)}`);

    const page = await newPage(browser, app.url);
    await page.goto('/docs/');
    await page.getByText('/api/auth/login').first().waitFor();
    assert.deepEqual(cspViolations(page), [], '/docs refused by the Content-Security-Policy');
    await page.context().close();
  });

  it('the language switch turns the interface into English and back', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'es-PE');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incident board' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByText('By urgency').waitFor();
    await screenshot(page, 'dashboard-english');

    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { level: 1, name: 'Indicadores' }).waitFor();
    await page.context().close();
  });
});
