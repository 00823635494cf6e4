import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createUser } from '../../server/test/helpers/fixtures.js';
import { describeViolations, newPage, screenshot, seriousViolations, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * "It affects me too" in a real browser (issue 14 item 5): a student who previews a report
 * that has a duplicate joins it instead of filing a new one; the count rises on an
 * authority's open board live, and the student follows the incident's next status change
 * and its public comments (never the internal ones).
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

describe('it affects me too, in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  it('joins a duplicate from the preview: the board counts it live and the follower sees the next status change and public comments, never internal ones', async () => {
    const admin = await app.adminToken();
    const locations = await app.request('GET', '/api/locations', { token: admin });
    const place = (locations.body.items as { code: string; name: string }[]).find((location) => location.name === 'Biblioteca – Piso 2');
    assert.ok(place, 'the demo campus has the place');
    const first = await createUser(app, 'student');
    const original = await app.request('POST', '/api/incidents', {
      token: first.token,
      body: { category: 'infrastructure', description: 'La puerta de la sala no cierra y hace mucho ruido.', urgency: 'medium', locationCode: place.code, title: 'Puerta rota en la biblioteca' },
    });
    assert.equal(original.status, 201, original.text);
    const id = original.body.id as string;

    const authority = await newPage(browser, app.url);
    await signIn(authority, DEMO.authority.email, DEMO.authority.password);
    await authority.getByRole('heading', { name: 'Tablero de incidentes' }).waitFor();
    const row = authority.locator(`tr[data-incident-id="${id}"]`);
    await row.waitFor();
    assert.equal(await row.locator('.affected-count').count(), 0, 'one person affected: nothing to add');

    const student = await newPage(browser, app.url);
    await signIn(student, DEMO.student.email, DEMO.student.password);
    await student.getByRole('heading', { name: 'Reportar un incidente' }).waitFor();
    await student.getByLabel('Categoría').selectOption({ label: 'Infraestructura' });
    await student.getByLabel('Buscar un lugar del campus').fill('biblioteca piso 2');
    await student.getByRole('option', { name: /Biblioteca – Piso 2/ }).click();
    await student.getByLabel('Descripción').fill('La puerta de la sala de estudio está rota, no se puede cerrar.');
    await student.getByRole('button', { name: 'Revisar reporte' }).click();
    await student.getByRole('heading', { name: 'Revisa tu reporte' }).waitFor();
    const duplicate = student.locator(`li[data-incident-id="${id}"]`);
    await duplicate.getByText('1 persona afectada').waitFor();
    await screenshot(student, 'report-preview-affected');

    await authority.locator('.connection-live').waitFor({ timeout: 10_000 });
    const boardUrl = authority.url();
    await duplicate.getByRole('button', { name: 'Me afecta también' }).click();
    await duplicate.getByText('Listo: ahora sigues este reporte').waitFor();
    await duplicate.getByText('2 personas afectadas').waitFor();
    const violations = await seriousViolations(student);
    assert.deepEqual(violations, [], describeViolations(violations));
    // The same review on a phone.
    await student.setViewportSize({ width: 390, height: 844 });
    const onPhone = await seriousViolations(student);
    assert.deepEqual(onPhone, [], describeViolations(onPhone));
    await screenshot(student, 'report-preview-affected-phone');
    await student.setViewportSize({ width: 1280, height: 900 });

    // The authority's board counts it without a reload.
    await row.getByText('2 personas afectadas').waitFor({ timeout: 10_000 });
    assert.equal(authority.url(), boardUrl, 'no navigation happened');
    const created = await app.request('GET', '/api/incidents?limit=200', { token: admin });
    assert.equal(created.body.items.filter((i: { title: string }) => i.title === 'Puerta rota en la biblioteca').length, 1, 'nothing new was filed');

    // The follower opens the incident and sees the next public status change live.
    await duplicate.getByRole('link', { name: 'Ver el reporte' }).click();
    await student.getByRole('heading', { name: 'Puerta rota en la biblioteca' }).waitFor();
    await student.getByText('2 personas afectadas').waitFor();
    await student.locator('.connection-live').waitFor({ timeout: 10_000 });
    const moved = await app.request('PATCH', `/api/incidents/${id}`, { token: admin, body: { status: 'in_progress', note: 'Carpintería en camino' } });
    assert.equal(moved.status, 200, moved.text);
    await student.locator('.row-meta .badge.status-in_progress').waitFor({ timeout: 10_000 });
    await student.getByText('Carpintería en camino').waitFor();

    // Comments reach the follower live: the public one, never the internal one (sent first,
    // and events arrive in order, so once the public one shows the internal one had its chance).
    const comment = async (text: string, internal: boolean) => {
      const added = await app.request('POST', `/api/incidents/${id}/comments`, { token: admin, body: { text, internal } });
      assert.equal(added.status, 201, added.text);
    };
    const marked = (page: typeof student) => page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded === true);
    await student.evaluate(() => ((globalThis as unknown as { notReloaded?: boolean }).notReloaded = true));
    await comment('Falta aprobar la compra de la bisagra', true);
    await comment('Cambiaremos la bisagra esta tarde', false);
    await student.locator('.timeline-text', { hasText: 'Cambiaremos la bisagra esta tarde' }).waitFor({ timeout: 10_000 });
    assert.equal(await student.getByText('Falta aprobar la compra').count(), 0, 'the internal comment never reaches the follower');
    assert.equal(await student.locator('.timeline-item.is-internal').count(), 0);
    assert.ok(await marked(student), 'the page was not reloaded');
    await screenshot(student, 'incident-followed');
    await authority.close();
    await student.close();
  });
});
