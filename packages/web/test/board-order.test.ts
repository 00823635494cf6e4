import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newPage, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The board orders on the server and pages through that order: with 60 low-urgency
 * incidents reported after 3 critical ones, the first page by "newest" holds none of the
 * critical ones, and "sort by urgency" shows them first. A critical incident reported
 * while the board is open appears where the order puts it.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

const rows = (page: Page) => page.locator('.board-table tbody tr');
const titles = (page: Page) => rows(page).locator('th a').allTextContents();

describe('board order', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  it('sort by urgency shows the critical incidents first', async () => {
    const token = await app.login(DEMO.admin.email, DEMO.admin.password);
    const report = async (title: string, urgency: 'low' | 'critical') => {
      const created = await app.request('POST', '/api/incidents', {
        token,
        body: { category: 'technology', urgency, title, description: `${title}: reportado por la prueba del tablero.`, locationCode: 'A-301' },
      });
      assert.equal(created.status, 201, created.text);
    };
    for (let i = 1; i <= 3; i++) await report(`Crítico ${i}`, 'critical');
    for (let i = 1; i <= 60; i++) await report(`Leve ${i}`, 'low');

    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.admin.email, DEMO.admin.password);
    await page.goto('/board');
    await page.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    await page.locator('.board-table tbody tr').first().waitFor();
    const newest = await titles(page);
    assert.equal(newest[0], 'Leve 60');
    assert.ok(newest.length < 63, 'the board shows a first page, not everything');
    assert.ok(!newest.some((title) => title.startsWith('Crítico')), 'the critical ones are older than the first page');

    await page.getByLabel('Ordenar por').selectOption('urgency');
    await rows(page).first().locator('th a', { hasText: /^Crítico/ }).waitFor();
    const byUrgency = await titles(page);
    // Same urgency: the nearest SLA due time first, then the order they were reported in.
    assert.deepEqual(byUrgency.slice(0, 3), ['Crítico 1', 'Crítico 2', 'Crítico 3']);
    assert.ok(byUrgency.slice(3).every((title) => title.startsWith('Leve')));
    assert.match(page.url(), /sort=urgency/);

    // Reported now: critical, due after the other three, so fourth; not at the top.
    await report('Crítico 4', 'critical');
    await rows(page).nth(3).locator('th a', { hasText: /^Crítico 4$/ }).waitFor();
    assert.deepEqual((await titles(page)).slice(0, 5), ['Crítico 1', 'Crítico 2', 'Crítico 3', 'Crítico 4', byUrgency[3]]);
    await page.context().close();
  });
});
