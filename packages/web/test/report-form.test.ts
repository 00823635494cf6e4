import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page, Request } from 'playwright-core';
import { DEMO_DEPARTMENT_PHONES, DEMO_EMERGENCY_PHONE, DEMO_LOCATIONS } from '@alertautec/core';
import { describeViolations, newPage, screenshot, seriousViolations, signIn, tinyPng } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The report form as a campus app (issue 14 items 4 and 7): the place search is a combobox
 * whose Enter picks and never submits, the description is counted and never cut, files are
 * judged by content and size before anything is created (limits from GET /api/config, here
 * a 1 MiB attachment limit), a failed upload is retried, a critical report shows the
 * emergency number, and "Use my location" suggests the nearest places.
 */
const setup = await startWebTest({ env: { ATTACHMENT_MAX_BYTES: '1048576' } });
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

const tel = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;
const BIBLIOTECA = DEMO_LOCATIONS.find((location) => location.code === 'BIB-P1')!;

/** The id of the element that has the focus, in the page. */
const focusedId = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? '');
const focusedText = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent ?? '');

/** Records every preview and create request the page sends. */
function watchSubmissions(page: Page): Request[] {
  const sent: Request[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && /\/api\/incidents(\/preview)?$/.test(new URL(request.url()).pathname)) sent.push(request);
  });
  return sent;
}

describe('the report form', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;
  // One admin sign-in for the whole file (sign-ins are rate limited per account).
  let adminToken: string | undefined;
  const admin = async () => (adminToken ??= await app.login(DEMO.admin.email, DEMO.admin.password));
  const incidentCount = async () => {
    const list = await app.request('GET', '/api/incidents?limit=200', { token: await admin() });
    assert.equal(list.status, 200, list.text);
    return list.body.items.length as number;
  };
  const openForm = async (page: Page) => {
    await signIn(page, DEMO.student.email, DEMO.student.password);
    await page.getByRole('heading', { name: 'Reportar un incidente' }).waitFor();
  };

  it('Enter in the place search picks the highlighted suggestion and never submits; arrows move, Escape closes', async () => {
    const page = await newPage(browser, app.url);
    await openForm(page);
    const submissions = watchSubmissions(page);
    // Everything else is filled in, so a submit would go through.
    await page.getByLabel('Categoría').selectOption({ label: 'Infraestructura' });
    await page.getByLabel('Referencia adicional').fill('cerca de la escalera');
    await page.getByLabel('Descripción').fill('La puerta de vidrio no cierra y golpea con el viento.');

    const search = page.getByRole('combobox', { name: 'Buscar un lugar del campus' });
    assert.equal(await search.getAttribute('enterkeyhint'), 'search');
    await search.fill('biblioteca');
    const listbox = page.getByRole('listbox', { name: 'Lugares encontrados' });
    const options = listbox.getByRole('option');
    await listbox.waitFor();
    assert.ok((await options.count()) >= 2);
    // Typing highlights the first match.
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    assert.equal(await search.getAttribute('aria-activedescendant'), await options.nth(0).getAttribute('id'));

    await search.press('Escape');
    await listbox.waitFor({ state: 'detached' });
    assert.equal(await search.getAttribute('aria-expanded'), 'false');
    assert.equal(await search.inputValue(), 'biblioteca', 'Escape closes the list, the search stays');

    await search.press('ArrowDown');
    await listbox.waitFor();
    await search.press('ArrowDown');
    assert.equal(await options.nth(1).getAttribute('aria-selected'), 'true');
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'false');
    const second = (await options.nth(1).textContent())!.split(' · ')[0]!.trim();

    await search.press('Enter');
    await page.locator('.chosen-location', { hasText: second }).waitFor();
    assert.equal(await focusedId(page), 'location-text', 'focus moves on to the next field');
    assert.equal(submissions.length, 0, 'Enter sent nothing');
    assert.equal(await page.getByRole('heading', { name: 'Reportar un incidente' }).count(), 1);

    // After the review, focus is on the review's heading; back in the form, on the form's.
    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('heading', { name: 'Revisa tu reporte' }).waitFor();
    assert.equal(submissions.length, 1, 'the button does submit');
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName === 'H1');
    assert.equal(await focusedText(page), 'Revisa tu reporte');
    await page.getByRole('button', { name: 'Volver a editar' }).click();
    await page.getByRole('heading', { name: 'Reportar un incidente' }).waitFor();
    assert.equal(await focusedText(page), 'Reportar un incidente');
    await page.context().close();
  });

  it('refuses a description over the limit, with the counter visible, and never cuts it', async () => {
    const page = await newPage(browser, app.url);
    await openForm(page);
    const submissions = watchSubmissions(page);
    const { descriptionMaxLength } = (await app.request('GET', '/api/config')).body as { descriptionMaxLength: number };
    assert.equal(descriptionMaxLength, 4000);
    await page.getByLabel('Categoría').selectOption({ label: 'Infraestructura' });
    await page.getByLabel('Referencia adicional').fill('patio central');
    const description = page.getByLabel('Descripción');
    await description.fill('a'.repeat(10));
    const counter = page.locator('#report-description-count');
    assert.equal(await counter.textContent(), '10 de 4,000 caracteres');

    await description.fill('b'.repeat(descriptionMaxLength + 1));
    assert.equal(await counter.textContent(), '4,001 de 4,000 caracteres');
    assert.ok(await counter.isVisible());
    assert.match((await counter.getAttribute('class')) ?? '', /is-over/);
    const message = page.getByRole('alert').filter({ hasText: 'supera el máximo de 4,000 caracteres' });
    await message.waitFor();
    assert.match((await message.textContent()) ?? '', /\(1 de más\)/);
    assert.equal(await description.getAttribute('aria-invalid'), 'true');

    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === 'report-description');
    assert.equal(submissions.length, 0, 'nothing was sent');
    assert.equal((await description.inputValue()).length, descriptionMaxLength + 1, 'nothing was cut');

    await description.press('Backspace');
    await message.waitFor({ state: 'detached' });
    assert.equal(await counter.textContent(), '4,000 de 4,000 caracteres');
    await page.context().close();
  });

  it('refuses a renamed executable and a too-large file before any incident exists, states the limits, and retries a failed upload', async () => {
    const page = await newPage(browser, app.url);
    await openForm(page);
    const before = await incidentCount();
    const hint = page.locator('#photo-hint');
    await hint.filter({ hasText: 'MB' }).waitFor();
    assert.equal(await hint.textContent(), 'Hasta 5 archivos (JPEG, PNG, WebP o PDF) de 1 MB como máximo cada uno.');

    const fileInput = page.locator('input[type=file]');
    const program = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'), Buffer.alloc(512)]);
    await fileInput.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: program });
    await page.getByRole('alert').filter({ hasText: 'photo.jpg no es JPEG, PNG, WebP o PDF' }).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Archivos elegidos' }).count(), 0, 'not among the chosen files');

    const large = Buffer.concat([tinyPng(), Buffer.alloc(1_200_000)]);
    await fileInput.setInputFiles({ name: 'grande.png', mimeType: 'image/png', buffer: large });
    await page.getByRole('alert').filter({ hasText: 'grande.png supera los 1 MB.' }).waitFor();
    assert.equal(await incidentCount(), before, 'no incident was created');
    const withFileError = await seriousViolations(page);
    assert.equal(withFileError.length, 0, describeViolations(withFileError));

    // A good file is kept; its first upload fails on the way (the network drops it), then a retry succeeds.
    await fileInput.setInputFiles({ name: 'fuga.png', mimeType: 'image/png', buffer: tinyPng() });
    await page.getByRole('img', { name: 'Vista previa de fuga.png' }).waitFor();
    let uploads = 0;
    await page.route('**/api/incidents/*/attachments', (route) => (++uploads === 1 ? route.abort('connectionreset') : route.continue()));
    await page.getByLabel('Categoría').selectOption({ label: 'Infraestructura' });
    await page.getByLabel('Referencia adicional').fill('baño del primer piso');
    await page.getByLabel('Descripción').fill('Gotea agua del techo del baño.');
    // To the review and back: the thumbnail is still there (its object URL was not released).
    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('button', { name: 'Volver a editar' }).click();
    await page.waitForFunction(() => {
      const image = (globalThis as unknown as { document: { querySelector(selector: string): { complete: boolean; naturalWidth: number } | null } }).document.querySelector('.thumb img');
      return image?.complete === true && image.naturalWidth === 8;
    });
    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado' }).waitFor();
    await page.getByText('algunos archivos no se pudieron subir').waitFor();
    assert.equal(await incidentCount(), before + 1);
    const sentWithFailure = await seriousViolations(page);
    assert.equal(sentWithFailure.length, 0, describeViolations(sentWithFailure));
    await screenshot(page, 'report-sent-upload-failed');
    const incidentId = (await page.getByRole('link', { name: 'Ver el incidente' }).getAttribute('href'))!.split('/').pop()!;

    await page.getByRole('button', { name: 'Reintentar la subida de fuga.png' }).click();
    await page.getByText('Archivo subido.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Reintentar/ }).count(), 0);
    assert.equal(uploads, 2);
    const events = await app.request('GET', `/api/incidents/${incidentId}/events`, { token: await admin() });
    assert.deepEqual(
      events.body.items.filter((event: { type: string }) => event.type === 'AttachmentAdded').map((event: { filename: string }) => event.filename),
      ['fuga.png'],
    );
    await page.context().close();
  });

  it('a critical report shows tap-to-call links before and after it is sent', async () => {
    const page = await newPage(browser, app.url);
    await openForm(page);
    const call = page.getByRole('link', { name: /^Llamar a emergencias del campus/ });
    assert.equal(await call.count(), 0, 'not for a medium urgency');
    await page.getByLabel('Categoría').selectOption({ label: 'Seguridad' });
    await page.getByRole('radio', { name: /Crítica/ }).check();
    await call.waitFor();
    assert.equal(await call.getAttribute('href'), tel(DEMO_EMERGENCY_PHONE));
    const department = page.getByRole('link', { name: /^Llamar a Seguridad del Campus/ });
    assert.equal(await department.getAttribute('href'), tel(DEMO_DEPARTMENT_PHONES.security!));

    await page.getByRole('combobox', { name: 'Buscar un lugar del campus' }).fill('cafeteria');
    await page.getByRole('listbox').waitFor();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const violations = await seriousViolations(page);
      assert.deepEqual(violations, [], describeViolations(violations));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('combobox', { name: 'Buscar un lugar del campus' }).press('Enter');
    await page.getByLabel('Descripción').fill('Hay humo saliendo de la cocina y huele a gas.');
    await screenshot(page, 'report-form-critical');

    await page.getByRole('radio', { name: /Media/ }).check();
    await call.waitFor({ state: 'detached' });
    await page.getByRole('radio', { name: /Crítica/ }).check();

    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('heading', { name: 'Revisa tu reporte' }).waitFor();
    assert.equal(await call.getAttribute('href'), tel(DEMO_EMERGENCY_PHONE));
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado' }).waitFor();
    assert.equal(await call.getAttribute('href'), tel(DEMO_EMERGENCY_PHONE));
    assert.equal(await department.getAttribute('href'), tel(DEMO_DEPARTMENT_PHONES.security!));
    await page.context().close();
  });

  it('a place the catalog lacks is warned about, with suggestions, and still sent as the reporter wrote it', async () => {
    const page = await newPage(browser, app.url);
    await openForm(page);
    const place = 'Terraza de la biblioteca';
    // The search finds nothing and points to the free text.
    await page.getByRole('combobox', { name: 'Buscar un lugar del campus' }).fill(place.toLowerCase());
    await page.locator('#location-search-count').getByText('Ningún lugar del catálogo coincide. Puedes describirlo en «Referencia adicional».').waitFor();
    assert.equal(await page.getByRole('listbox').count(), 0);

    // Written as free text: a warning with the closest places, none of them chosen.
    await page.getByLabel('Referencia adicional').fill(place);
    const warning = page.locator('.notice-warning', { hasText: `«${place}» no está en el catálogo del campus.` });
    await warning.waitFor();
    await warning.getByText('¿Te refieres a alguno de estos lugares?').waitFor();
    const suggestions = await warning.getByRole('button').allTextContents();
    assert.ok(suggestions.length > 0 && suggestions.every((name) => name.startsWith('Biblioteca')), JSON.stringify(suggestions));
    assert.equal(await page.locator('.chosen-location').count(), 0);

    await page.getByLabel('Categoría').selectOption({ label: 'Limpieza' });
    await page.getByLabel('Descripción').fill('Hay basura acumulada junto a las bancas de la terraza.');
    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('heading', { name: 'Revisa tu reporte' }).waitFor();
    assert.equal(await page.locator('dt', { hasText: 'Lugar' }).locator('xpath=following-sibling::dd[1]').textContent(), place);
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado' }).waitFor();
    const incidentId = (await page.getByRole('link', { name: 'Ver el incidente' }).getAttribute('href'))!.split('/').pop()!;
    const incident = await app.request('GET', `/api/incidents/${incidentId}`, { token: await admin() });
    assert.equal(incident.status, 200, incident.text);
    assert.equal(incident.body.locationText, place);
    assert.equal(incident.body.locationCode ?? null, null, 'no catalog place was picked for it');
    await page.context().close();
  });

  it('"Use my location" suggests the nearest catalog places and sends the coordinates', async () => {
    const context = await browser.newContext({
      baseURL: app.url,
      viewport: { width: 390, height: 900 },
      locale: 'es-PE',
      geolocation: { latitude: BIBLIOTECA.lat + 0.00001, longitude: BIBLIOTECA.lng },
      permissions: ['geolocation'],
    });
    const page = await context.newPage();
    await openForm(page);
    await page.getByRole('button', { name: 'Usar mi ubicación' }).click();
    const nearby = page.getByRole('list', { name: 'Lugares cercanos a ti:' }).getByRole('button');
    await nearby.first().waitFor();
    const names = await nearby.allTextContents();
    const library = DEMO_LOCATIONS.filter((location) => location.building === 'Biblioteca');
    const closest = [...library].sort((a, b) => a.code.localeCompare(b.code));
    assert.deepEqual(
      names.slice(0, library.length).map((name) => name.split(' · ')[0]),
      closest.map((location) => location.name),
      'the library, closest, first',
    );
    assert.match(names[0]!, /· a 1 m$/);
    await screenshot(page, 'report-form-nearby-phone');

    await nearby.first().click();
    await page.locator('.chosen-location', { hasText: 'Biblioteca' }).waitFor();
    await page.getByLabel('Categoría').selectOption({ label: 'Limpieza' });
    await page.getByLabel('Descripción').fill('Se derramó café en la sala de estudio.');
    await page.getByRole('button', { name: 'Revisar reporte' }).click();
    await page.getByRole('button', { name: 'Enviar reporte' }).click();
    await page.getByRole('heading', { name: 'Reporte enviado' }).waitFor();
    const incidentId = (await page.getByRole('link', { name: 'Ver el incidente' }).getAttribute('href'))!.split('/').pop()!;
    const incident = await app.request('GET', `/api/incidents/${incidentId}`, { token: await admin() });
    assert.equal(incident.body.locationCode, closest[0]!.code);
    assert.ok(Math.abs(incident.body.lat - (BIBLIOTECA.lat + 0.00001)) < 1e-9 && Math.abs(incident.body.lng - BIBLIOTECA.lng) < 1e-9, JSON.stringify(incident.body));
    await context.close();
  });
});
