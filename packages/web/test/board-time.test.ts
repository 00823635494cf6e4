import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newPage, screenshot, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * Time on the board (issue 14 item 1): the due-time column counts down and turns into
 * "Vencido hace …" by itself, on one shared ticker that redraws the time cells, not the rows;
 * a reassigned incident leaves the old department's board at once; a filter changed while
 * the server is down is fetched again when it is back, and the error banner goes.
 * A 1-minute SLA for critical incidents; the page's clock is moved by hand.
 */
const setup = await startWebTest({ env: { SLA_CRITICAL_MINUTES: '1' } });
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

const row = (page: Page, title: string) => page.locator('.board-table tbody tr', { hasText: title });

describe('time on the board', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  const report = async (token: string, title: string, urgency: 'low' | 'critical', category = 'technology') => {
    const created = await app.request('POST', '/api/incidents', {
      token,
      body: { category, urgency, title, description: `${title}: reportado por la prueba del tablero.`, locationCode: 'A-301' },
    });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string; createdAt: string; slaDueAt: string; departmentId: string };
  };

  it('counts the due time down to "vencido" without a reload, redrawing only the time cells', async () => {
    const token = await app.login(DEMO.admin.email, DEMO.admin.password);
    const incident = await report(token, 'Servidor de aulas caído', 'critical');
    assert.equal(Date.parse(incident.slaDueAt) - Date.parse(incident.createdAt), 60_000, 'the short SLA applies');

    const page = await newPage(browser, app.url);
    await page.clock.install();
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.goto('/board');
    const tr = row(page, 'Servidor de aulas caído');
    const due = tr.locator('td.due-cell');
    await due.filter({ hasText: /^Vence dentro de \d+ segundos$/ }).waitFor();
    assert.equal(await due.evaluate((cell) => cell.classList.contains('is-overdue')), false);
    const reportedBefore = await tr.locator('td[data-label="Reportado"]').textContent();
    assert.match(reportedBefore ?? '', /^hace \d+ segundos$|^ahora$/);
    // A mark React knows nothing of: it survives only if the row element is the same one.
    await tr.evaluate((element) => ((element as unknown as { boardTag?: string }).boardTag = 'same row'));
    const url = page.url();
    await page.evaluate(() => ((globalThis as unknown as { sameDocument?: boolean }).sameDocument = true));

    await page.clock.fastForward(3 * 60_000);
    await due.filter({ hasText: /^Vencido hace [23] minutos$/ }).waitFor();
    assert.equal(await due.evaluate((cell) => cell.classList.contains('is-overdue')), true, 'overdue is marked by class');
    assert.equal(await due.locator('strong').count(), 1, 'and said in words, emphasised');
    assert.match((await tr.locator('td[data-label="Reportado"]').textContent()) ?? '', /^hace 3 minutos$/, 'the relative time counted on too');
    assert.equal(await tr.evaluate((element) => (element as unknown as { boardTag?: string }).boardTag), 'same row', 'the row was not redrawn');
    assert.equal(page.url(), url);
    await screenshot(page, 'board-due-times');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sameDocument?: boolean }).sameDocument), true, 'no reload');

    // In English, the same cell in words of its own.
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('alertautec.lang', 'en'));
    await page.reload();
    await row(page, 'Servidor de aulas caído').locator('td.due-cell').filter({ hasText: /^Overdue: due [23] minutes ago$/ }).waitFor();
    await page.context().close();
  });

  it('drops a reassigned incident from the old department\'s board at once; the admin board relabels it', async () => {
    const admin = await app.login(DEMO.admin.email, DEMO.admin.password);
    const staffToken = await app.login(DEMO.maintenance.email, DEMO.maintenance.password);
    const me = await app.request('GET', '/api/auth/me', { token: staffToken });
    const incident = await report(admin, 'Fuga de agua en el baño del tercer piso', 'low', 'infrastructure');
    assert.equal(incident.departmentId, me.body.departmentId, 'infrastructure goes to maintenance');
    const departments = await app.request('GET', '/api/departments', { token: admin });
    const other = (departments.body.items as { id: string; name: string }[]).find((department) => department.id !== me.body.departmentId)!;

    const staff = await newPage(browser, app.url);
    await signIn(staff, DEMO.maintenance.email, DEMO.maintenance.password);
    await staff.goto('/board');
    await staff.locator('.connection-live').waitFor();
    await row(staff, 'Fuga de agua en el baño').waitFor();
    const board = await newPage(browser, app.url);
    await signIn(board, DEMO.admin.email, DEMO.admin.password);
    await board.goto('/board');
    await board.locator('.connection-live').waitFor();
    await row(board, 'Fuga de agua en el baño').waitFor();

    const moved = await app.request('PUT', `/api/incidents/${incident.id}/department`, { token: admin, body: { departmentId: other.id } });
    assert.equal(moved.status, 200, moved.text);

    await row(staff, 'Fuga de agua en el baño').waitFor({ state: 'detached' });
    await row(board, 'Fuga de agua en el baño').locator('td[data-label="Departamento"]', { hasText: other.name }).waitFor();
    await staff.context().close();
    await board.context().close();
  });

  it('fetches a filter changed while the server was down once it is back, and the banner goes', async () => {
    const token = await app.login(DEMO.admin.email, DEMO.admin.password);
    await report(token, 'Proyector del aula B quemado', 'critical');
    await report(token, 'Enchufe flojo en la biblioteca', 'low');

    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.goto('/board');
    await page.locator('.connection-live').waitFor();
    await row(page, 'Enchufe flojo en la biblioteca').waitFor();

    // The server goes away: no HTTP, no WebSocket.
    const server = app.app.server;
    const { port } = server.address() as AddressInfo;
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeAllConnections();
    for (const connection of [...app.system.realtime.registry.all()]) connection.socket.terminate();
    await closed;
    await page.locator('.connection-reconnecting').waitFor();

    await page.getByLabel('Urgencia').selectOption('critical');
    const banner = page.getByRole('alert').filter({ hasText: 'No se pudo contactar al servidor.' });
    await banner.waitFor();
    assert.equal(await row(page, 'Enchufe flojo en la biblioteca').count(), 1, 'the old list stays while the new one cannot come');

    // Back on the same address.
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await page.locator('.connection-live').waitFor({ timeout: 20_000 });
    await banner.waitFor({ state: 'detached' });
    await row(page, 'Enchufe flojo en la biblioteca').waitFor({ state: 'detached' });
    await row(page, 'Proyector del aula B quemado').waitFor();
    assert.match(page.url(), /urgency=critical/);
    await page.context().close();
  });
});
