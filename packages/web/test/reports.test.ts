import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../../server/test/helpers/wait.js';
import { cspViolations, describeViolations, newPage, screenshot, seriousViolations, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The reports page and the job runs in a real browser against a real server (SQLite).
 * The server starts without its workers (ALERTA_ROLES=api,realtime): a report asked for
 * from the page stays queued until the test starts them, so the page is seen to move
 * from queued to ready by itself, without a reload.
 */
const SECURITY_STAFF = { email: 'seguridad@utec.example', password: 'demo-staff-2026' };
const setup = await startWebTest({ env: { ALERTA_ROLES: 'api,realtime' } });
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `${where}:\n${describeViolations(violations)}`);
  assert.deepEqual(cspViolations(page), [], `${where}: refused by the Content-Security-Policy`);
}

describe('reports page and job runs', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;
  let adminToken = '';
  let maintenanceId = '';
  let securityId = '';

  const reportsOf = async (token: string) => {
    const response = await app.request('GET', '/api/reports?limit=200', { token });
    assert.equal(response.status, 200, response.text);
    return response.body.items as { id: string; kind: string; status: string; departmentId?: string }[];
  };

  before(async () => {
    adminToken = await app.login(DEMO.admin.email, DEMO.admin.password);
    const maintenance = await app.login(DEMO.maintenance.email, DEMO.maintenance.password);
    const security = await app.login(SECURITY_STAFF.email, SECURITY_STAFF.password);
    maintenanceId = (await app.request('GET', '/api/auth/me', { token: maintenance })).body.departmentId;
    securityId = (await app.request('GET', '/api/auth/me', { token: security })).body.departmentId;
    assert.ok(maintenanceId && securityId && maintenanceId !== securityId);
    // Two incidents, so the report counts something.
    const student = await app.login(DEMO.student.email, DEMO.student.password);
    for (const body of [
      { category: 'cleaning', urgency: 'low', locationCode: 'CAF-P1', description: 'Basurero lleno junto a la entrada de la cafetería.' },
      { category: 'technology', urgency: 'medium', locationCode: 'A-301', description: 'El proyector del aula no enciende, "ni con el control".' },
    ]) {
      const created = await app.request('POST', '/api/incidents', { token: student, body });
      assert.equal(created.status, 201, created.text);
    }
  });

  it('an admin runs a global report from the page, sees it become ready live, and downloads the CSV and the JSON', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Reportes', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Reportes' }).waitFor();
    assert.equal(await page.title(), 'Reportes · AlertaUTEC');
    await page.getByText('Aún no hay reportes.').waitFor();
    // A marker in the page: it is still there at the end only if the page never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { reportsPageMarker: 'same page' }));

    assert.equal(await page.getByLabel('Tipo').inputValue(), 'global');
    await page.getByRole('button', { name: 'Generar reporte' }).click();
    const row = page.locator('tr[data-report-id]');
    await row.getByText('En cola').waitFor();
    await page.getByTestId('report-progress').getByText('Global: en cola.').waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByRole('button', { name: /^Descargar/ }).count(), 0, 'nothing to download while queued');
    await row.getByText('Todo el historial').waitFor();

    // The workers start: the page follows the report to the end by itself.
    app.system.start(['workers']);
    await row.getByText('Listo', { exact: true }).waitFor({ timeout: 20_000 });
    await page.getByTestId('report-progress').getByText('Global: listo para descargar.').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as { reportsPageMarker?: string }).reportsPageMarker), 'same page');
    // The one asked for (the hourly schedule may add another global report meanwhile).
    const stored = await app.request('GET', `/api/reports/${await row.getAttribute('data-report-id')}`, { token: adminToken });
    assert.deepEqual([stored.body.kind, stored.body.status], ['global', 'succeeded']);
    await expectAccessible(page, '/reports (admin, a report ready)');
    await screenshot(page, 'reports-admin');

    const [csv] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Descargar CSV: Global/ }).click()]);
    assert.match(csv.suggestedFilename(), /^reporte_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}\.csv$/);
    const bytes = fs.readFileSync(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with the UTF-8 BOM');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('section,key,label,value\r\n'), text.slice(0, 80));
    assert.match(text, /\r\ntotal,incidents,,2\r\n/);

    const [json] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Descargar JSON: Global/ }).click()]);
    assert.equal(json.suggestedFilename(), csv.suggestedFilename().replace(/\.csv$/, '.json'));
    const content = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
    assert.equal(content.totals.incidents, 2);
    await page.context().close();
  });

  it('a department report asked for with a period that ends before it starts gets the typed error, in Spanish', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.goto('/reports');
    await page.getByLabel('Tipo').selectOption('department');
    await page.getByLabel('Departamento').selectOption({ label: 'Seguridad del Campus' });
    await page.getByLabel('Desde (opcional)').fill('2026-12-10');
    await page.getByLabel('Hasta (opcional)').fill('2026-12-01');
    await page.getByRole('button', { name: 'Generar reporte' }).click();
    await page.getByRole('alert').filter({ hasText: 'El periodo termina antes de empezar: revisa las fechas.' }).waitFor();

    await page.getByLabel('Hasta (opcional)').fill('2026-12-12');
    await page.getByRole('button', { name: 'Generar reporte' }).click();
    const row = page.locator('tr[data-report-id]', { hasText: 'Departamento: Seguridad del Campus' });
    await row.getByText('Listo', { exact: true }).waitFor({ timeout: 20_000 });
    await row.getByText(/^Del .+ al .+$/).waitFor();
    const created = (await reportsOf(adminToken)).find((report) => report.kind === 'department');
    assert.equal(created?.departmentId, securityId);
    await page.context().close();
  });

  it("staff see only their department's reports, and may ask only for their department's", async () => {
    const created = await app.request('POST', '/api/reports', { token: adminToken, body: { kind: 'department', departmentId: maintenanceId } });
    assert.equal(created.status, 202, created.text);
    const all = await reportsOf(adminToken);
    assert.ok(all.some((report) => report.kind === 'global') && all.some((report) => report.departmentId === securityId));

    const page = await newPage(browser, app.url, 390);
    await signIn(page, DEMO.maintenance.email, DEMO.maintenance.password);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Reportes', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Reportes' }).waitFor();
    const rows = page.locator('tr[data-report-id]');
    await rows.first().waitFor();
    assert.deepEqual(await rows.evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { reportId: string } }).dataset.reportId)), [created.body.id]);
    await rows.first().getByText('Departamento: Infraestructura y Mantenimiento').waitFor();
    // No kind to choose: the form names their department.
    assert.equal(await page.getByLabel('Tipo').count(), 0);
    await page.getByText('Infraestructura y Mantenimiento', { exact: true }).waitFor();
    await page.locator('[role=status]:has-text("Cargando")').waitFor({ state: 'detached' });
    await expectAccessible(page, '/reports (staff, phone)');
    await screenshot(page, 'reports-staff-phone');

    await page.getByRole('button', { name: 'Generar reporte' }).click();
    await page.getByTestId('report-progress').getByText('Departamento: Infraestructura y Mantenimiento: listo para descargar.').waitFor({ timeout: 20_000 });
    assert.equal(await rows.count(), 2);
    const mine = (await reportsOf(adminToken)).filter((report) => report.departmentId === maintenanceId);
    assert.equal(mine.length, 2);

    // A notification's link opens one report; another department's is the app's own 404.
    await page.goto(`/reports/${created.body.id}`);
    await page.getByRole('heading', { level: 1, name: 'Departamento: Infraestructura y Mantenimiento' }).waitFor();
    await page.locator(`tr[data-report-id="${created.body.id}"]`).getByRole('button', { name: /^Descargar CSV/ }).waitFor();
    const security = all.find((report) => report.departmentId === securityId)!;
    await page.goto(`/reports/${security.id}`);
    await page.getByRole('alert').waitFor();
    assert.equal(await page.locator('tr[data-report-id]').count(), 0);
    await page.context().close();
  });

  it('a student has no reports link, and the reports page says plainly that it is not for them', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.student.email, DEMO.student.password);
    const nav = page.getByRole('navigation', { name: 'Principal' });
    await nav.getByRole('link', { name: 'Reportar', exact: true }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Reportes', exact: true }).count(), 0);
    await page.goto('/reports');
    await page.getByRole('heading', { level: 1, name: 'Sin acceso a reportes' }).waitFor();
    await page.getByText('Tu rol no permite ver ni generar reportes.', { exact: false }).waitFor();
    await expectAccessible(page, '/reports (student)');
    await page.context().close();
  });

  it('an admin runs a job from the jobs page and sees its run in the history with its result', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.goto('/admin/jobs');
    const schedules = page.getByRole('table', { name: 'Tareas programadas y su última ejecución.' });
    const history = page.getByRole('table', { name: 'Ejecuciones recientes de las tareas, de la más nueva a la más antigua.' });
    await schedules.locator('tr', { hasText: 'report.global' }).getByText('0 * * * *').waitFor();
    await history.locator('tr').first().waitFor();

    const before = new Set((await reportsOf(adminToken)).map((report) => report.id));
    await schedules.getByRole('button', { name: 'Ejecutar ahora: report.global' }).click();
    await page.getByRole('status').filter({ hasText: 'report.global: Completada.' }).waitFor({ timeout: 20_000 });
    const run = history.locator('tr', { hasText: 'report.global' }).first();
    await run.getByText('Completada').waitFor();
    await run.getByText('Sin errores').waitFor();
    await schedules.locator('tr', { hasText: 'report.global' }).getByText('Completada').waitFor();
    // Its work: a new global report.
    await waitFor(async () => (await reportsOf(adminToken)).find((report) => !before.has(report.id) && report.kind === 'global'), 10_000, 'the new global report');

    // Filters: only report.global runs, then only the failed ones (none).
    await page.getByLabel('Tarea', { exact: true }).selectOption('report.global');
    await history.locator('tr[data-run-id]').first().waitFor();
    await waitFor(async () => {
      const names = await history.locator('tr[data-run-id] th').allTextContents();
      return names.length > 0 && names.every((name) => name === 'report.global');
    }, 10_000, 'only report.global runs');
    await page.getByLabel('Estado', { exact: true }).selectOption('failed');
    await page.getByText('No hay ejecuciones con esos filtros.').waitFor();
    await page.getByLabel('Estado', { exact: true }).selectOption('');
    await history.locator('tr[data-run-id]').first().waitFor();
    await expectAccessible(page, '/admin/jobs (history)');
    await screenshot(page, 'admin-jobs-history');
    await page.context().close();
  });
});
