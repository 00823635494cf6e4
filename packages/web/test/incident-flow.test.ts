import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { newPage, screenshot, signIn, tinyPng } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The reporting and handling flow in a real browser: a student reports with a photo,
 * staff work it, the student confirms, an admin reassigns it.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

const TITLE = 'Fuga de agua en el baño del segundo piso';

/**
 * Waits for what `locate` finds to arrive live: the page shows the connection as live
 * ("En vivo") and is never reloaded.
 */
async function expectLiveUpdate(page: Page, locate: () => Locator): Promise<void> {
  await page.locator('.connection-live').waitFor({ timeout: 10_000 });
  const url = page.url();
  await locate().first().waitFor({ timeout: 10_000 });
  assert.equal(page.url(), url, 'no navigation happened');
}

describe('incident flow in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;
  let student: Page;
  let staff: Page;
  let admin: Page;
  let incidentPath = '';

  it('a student reports an incident with a photo, after a preview; the board shows it', async () => {
    // Staff watch the board while the student reports.
    staff = await newPage(browser, app.url);
    await signIn(staff, DEMO.maintenance.email, DEMO.maintenance.password);
    await staff.getByRole('heading', { name: 'Tablero de incidentes' }).waitFor();

    student = await newPage(browser, app.url);
    await student.goto('/');
    await student.waitForURL('**/login');
    await screenshot(student, 'sign-in');
    await signIn(student, DEMO.student.email, DEMO.student.password);
    await student.getByRole('heading', { name: 'Reportar un incidente' }).waitFor();

    await student.getByLabel('Categoría').selectOption({ label: 'Infraestructura' });
    await student.getByLabel('Buscar un lugar del campus').fill('biblioteca piso 2');
    await student.getByRole('option', { name: /Biblioteca – Piso 2/ }).click();
    await student.getByText('Biblioteca – Piso 2').first().waitFor();
    await student.getByLabel('Referencia adicional').fill('junto a los lavatorios');
    await student.getByRole('radio', { name: /Alta/ }).check();
    await student.getByLabel('Título').fill(TITLE);
    await student.getByLabel('Descripción').fill('Sale agua del lavatorio y el piso está mojado; alguien puede resbalar.');
    await student.locator('input[type=file]').setInputFiles({ name: 'fuga.png', mimeType: 'image/png', buffer: tinyPng() });
    await student.getByRole('img', { name: 'Vista previa de fuga.png' }).waitFor();
    await screenshot(student, 'report-form');

    await student.getByRole('button', { name: 'Revisar reporte' }).click();
    await student.getByRole('heading', { name: 'Revisa tu reporte' }).waitFor();
    await student.getByRole('heading', { name: 'Reportes parecidos' }).waitFor();
    await student.getByText('Infraestructura y Mantenimiento').waitFor();
    await screenshot(student, 'report-preview');

    await student.getByRole('button', { name: 'Enviar reporte' }).click();
    await student.getByRole('heading', { name: 'Reporte enviado' }).waitFor();
    await student.getByText('Archivo subido.').waitFor();
    await student.getByRole('link', { name: 'Ver el incidente' }).click();
    await student.getByRole('heading', { name: TITLE }).waitFor();
    incidentPath = new URL(student.url()).pathname;
    assert.match(incidentPath, /^\/incidents\/[A-Za-z0-9_-]+$/);
    await student.getByText('Archivo adjunto: fuga.png').waitFor();

    await student.getByRole('link', { name: 'Mis incidentes' }).first().click();
    const card = student.locator('.incident-card', { hasText: TITLE });
    await card.waitFor();
    assert.equal(await card.locator('.badge.status-pending').textContent(), 'Pendiente');
    await screenshot(student, 'my-incidents');

    // Live: the new row appears on the open board, highlighted, with no reload.
    await expectLiveUpdate(staff, () => staff.locator('tr.is-fresh', { hasText: TITLE }));
  });

  it('staff of the routed department open it from the board and change its status with a note', async () => {
    const row = staff.locator('tr', { hasText: TITLE });
    await row.waitFor();
    await screenshot(staff, 'board');

    await row.getByRole('link', { name: TITLE }).click();
    await staff.getByRole('heading', { name: TITLE }).waitFor();
    // The photo is fetched with the token and shown inline.
    const photo = staff.getByRole('img', { name: 'fuga.png' });
    await photo.waitFor();
    await staff.waitForFunction(() => {
      const image = (globalThis as unknown as { document: { querySelector(selector: string): { naturalWidth: number } | null } }).document.querySelector('.attachment img');
      return image?.naturalWidth === 8;
    });

    // Only the moves staff may make are offered.
    const moves = staff.getByRole('group', { name: 'Cambiar estado' }).getByRole('button');
    assert.deepEqual(await moves.allTextContents(), ['Atender', 'Marcar resuelto']);
    await staff.getByLabel('Nota para quien reportó').fill('Técnico en camino');
    await staff.getByRole('button', { name: 'Atender' }).click();
    await staff.locator('.page-title + .row-meta .status-in_progress').waitFor();
    await staff.getByText('Técnico en camino').waitFor();

    await staff.getByLabel('Comentario', { exact: true }).fill('Revisar la llave de paso del segundo piso');
    await staff.getByLabel(/Interno/).check();
    await staff.getByRole('button', { name: 'Publicar nota interna' }).click();
    await staff.locator('.timeline-item.is-internal', { hasText: 'Revisar la llave de paso' }).waitFor();
    await screenshot(staff, 'incident-detail');
  });

  it("the student's page shows the new status, without the internal note", async () => {
    await student.goto(incidentPath);
    await student.getByRole('heading', { name: TITLE }).waitFor();
    await student.getByText('Técnico en camino').waitFor();
    assert.equal(await student.getByText('Revisar la llave de paso').count(), 0);

    await student.goto('/mine');
    const card = student.locator('.incident-card', { hasText: TITLE });
    await card.waitFor();
    await staff.getByLabel('Nota para quien reportó').fill('Se cambió el empaque');
    await staff.getByRole('button', { name: 'Marcar resuelto' }).click();
    await staff.locator('.page-title + .row-meta .status-resolved').waitFor();
    // Live: the student's open page shows the new status without a reload.
    await expectLiveUpdate(student, () => student.locator('.incident-card', { hasText: TITLE }).getByText('Resuelto'));

    await student.locator('.incident-card', { hasText: TITLE }).getByRole('button', { name: 'Sí, confirmar solución' }).click();
    await student.locator('.incident-card', { hasText: TITLE }).getByText('Cerrado').waitFor();
  });

  it('an admin assigns the incident to another department', async () => {
    admin = await newPage(browser, app.url);
    await signIn(admin, DEMO.admin.email, DEMO.admin.password);
    await admin.goto(incidentPath);
    await admin.getByRole('heading', { name: TITLE }).waitFor();
    await admin.getByLabel('Departamento responsable').selectOption({ label: 'Seguridad del Campus' });
    await admin.getByRole('button', { name: 'Asignar' }).click();
    await admin.locator('.timeline').getByText('Asignado a Seguridad del Campus').waitFor();
    await admin.locator('.facts dd', { hasText: 'Seguridad del Campus' }).waitFor();

    // Staff of the old department no longer see it.
    await staff.goto('/board?status=');
    await staff.getByRole('heading', { name: 'Tablero de incidentes' }).waitFor();
    await staff.locator('.board-table, .empty').first().waitFor();
    assert.equal(await staff.locator('tr', { hasText: TITLE }).count(), 0);
  });
});
