import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { describeViolations, newPage, seriousViolations, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * Decisions that need a reason: rejecting asks for one, confirms before a final move, and
 * the reporter reads the reason; a reporter reopening says what is still wrong.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

describe('decisions with a reason, and who is who, in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  const report = async (title: string) => {
    const token = await app.login(DEMO.student.email, DEMO.student.password);
    const created = await app.request('POST', '/api/incidents', {
      token,
      body: { category: 'infrastructure', title, description: 'El proyector no enciende desde la mañana.', urgency: 'low', locationCode: 'A-P3' },
    });
    assert.equal(created.status, 201, created.text);
    return created.body as { id: string };
  };
  const statusOf = async (id: string) => (await app.request('GET', `/api/incidents/${id}`, { token: await app.adminToken() })).body.status as string;

  it('reject without a reason is refused with the app’s message; with one it asks first, and the student reads the reason', async () => {
    const incident = await report('Proyector apagado en el aula 301');
    const authority = await newPage(browser, app.url);
    await signIn(authority, DEMO.authority.email, DEMO.authority.password);
    await authority.goto(`/incidents/${incident.id}`);
    await authority.getByRole('heading', { name: 'Proyector apagado en el aula 301' }).waitFor();
    await authority.getByText('obligatorio para rechazar o reabrir').waitFor();

    await authority.getByRole('button', { name: 'Rechazar' }).click();
    await authority.getByRole('alert').filter({ hasText: 'Escribe el motivo' }).waitFor();
    assert.equal(await authority.evaluate(() => (globalThis as unknown as { document: { activeElement: { tagName: string } } }).document.activeElement.tagName), 'TEXTAREA');
    assert.equal(await statusOf(incident.id), 'pending', 'nothing was sent');

    await authority.getByLabel('Nota para quien reportó').fill('Ya fue reportado: se atiende en el incidente del aula 302.');
    await authority.getByRole('button', { name: 'Rechazar' }).click();
    const question = authority.getByRole('group', { name: /¿Rechazar este incidente\?/ });
    await question.waitFor();
    assert.equal(await statusOf(incident.id), 'pending', 'asked before rejecting');
    const asking = await seriousViolations(authority);
    assert.equal(asking.length, 0, describeViolations(asking));
    await question.getByRole('button', { name: 'Cancelar' }).click();
    assert.equal(await question.count(), 0);
    assert.equal(await statusOf(incident.id), 'pending', 'cancel changes nothing');

    await authority.getByRole('button', { name: 'Rechazar' }).click();
    await authority.getByRole('button', { name: 'Sí, rechazar' }).click();
    await authority.locator('.page-title + .row-meta .status-rejected').waitFor();
    assert.equal(await statusOf(incident.id), 'rejected');

    const student = await newPage(browser, app.url);
    await signIn(student, DEMO.student.email, DEMO.student.password);
    await student.goto(`/incidents/${incident.id}`);
    const reason = student.locator('.timeline-text', { hasText: 'Ya fue reportado' });
    await reason.waitFor();
    assert.match((await reason.textContent()) ?? '', /^Motivo: Ya fue reportado/);
    await Promise.all([authority.close(), student.close()]);
  });

  it('staff and authorities read the reporter’s name (never on an anonymous report); the reporter reads the role of who answered', async () => {
    const named = await report('Silla rota en la biblioteca');
    const token = await app.login(DEMO.student.email, DEMO.student.password);
    const anonymous = await app.request('POST', '/api/incidents', {
      token,
      body: { category: 'infrastructure', title: 'Reporte anónimo de prueba', description: 'Algo pasa en el baño.', urgency: 'low', locationCode: 'A-P3', anonymous: true },
    });
    assert.equal(anonymous.status, 201, anonymous.text);

    const staff = await newPage(browser, app.url);
    await signIn(staff, DEMO.maintenance.email, DEMO.maintenance.password);
    await staff.goto(`/incidents/${named.id}`);
    const reporter = staff.locator('dt', { hasText: 'Reportado por' }).locator('xpath=following-sibling::dd[1]');
    assert.equal(await reporter.textContent(), 'Elena Estudiante');
    await staff.getByLabel('Nota para quien reportó').fill('Vamos en camino');
    await staff.getByRole('button', { name: 'Atender' }).click();
    await staff.locator('.page-title + .row-meta .status-in_progress').waitFor();
    await staff.goto(`/incidents/${anonymous.body.id}`);
    await staff.getByRole('heading', { name: 'Reporte anónimo de prueba' }).waitFor();
    assert.equal(await staff.locator('dt', { hasText: 'Reportado por' }).locator('xpath=following-sibling::dd[1]').textContent(), 'Anónimo');
    assert.equal(await staff.getByText('Elena Estudiante').count(), 0);

    // An authority too: the name on the named report, "Anónimo" and no name on the other.
    const authority = await newPage(browser, app.url);
    await signIn(authority, DEMO.authority.email, DEMO.authority.password);
    const reporterOf = async (id: string, title: string) => {
      await authority.goto(`/incidents/${id}`);
      await authority.getByRole('heading', { name: title }).waitFor();
      return authority.locator('dt', { hasText: 'Reportado por' }).locator('xpath=following-sibling::dd[1]').textContent();
    };
    assert.equal(await reporterOf(named.id, 'Silla rota en la biblioteca'), 'Elena Estudiante');
    assert.equal(await reporterOf(anonymous.body.id, 'Reporte anónimo de prueba'), 'Anónimo');
    assert.equal(await authority.getByText('Elena Estudiante').count(), 0);
    await authority.close();

    const student = await newPage(browser, app.url);
    await signIn(student, DEMO.student.email, DEMO.student.password);
    await student.goto(`/incidents/${named.id}`);
    await student.getByText(/por el personal de Infraestructura/).waitFor();
    assert.equal(await student.getByText('mantenimiento@utec.example').count(), 0);
    await Promise.all([staff.close(), student.close()]);
  });

  it('a student reopening must say what is still wrong; internal notes are marked while written', async () => {
    const incident = await report('Proyector parpadea en el aula 205');
    const staffToken = await app.login(DEMO.maintenance.email, DEMO.maintenance.password);
    const resolved = await app.request('PATCH', `/api/incidents/${incident.id}`, { token: staffToken, body: { status: 'resolved' } });
    assert.equal(resolved.status, 200, resolved.text);

    const student = await newPage(browser, app.url);
    await signIn(student, DEMO.student.email, DEMO.student.password);
    await student.goto(`/incidents/${incident.id}`);
    await student.getByRole('button', { name: 'No, reabrir' }).click();
    await student.getByRole('alert').filter({ hasText: 'Escribe el motivo' }).waitFor();
    assert.equal(await statusOf(incident.id), 'resolved');
    await student.getByLabel('¿Qué sigue mal?').fill('Sigue parpadeando cada pocos minutos.');
    await student.getByRole('button', { name: 'No, reabrir' }).click();
    await student.locator('.timeline-text', { hasText: 'Sigue parpadeando' }).waitFor();
    assert.equal(await statusOf(incident.id), 'in_progress');

    const staff = await newPage(browser, app.url);
    await signIn(staff, DEMO.maintenance.email, DEMO.maintenance.password);
    await staff.goto(`/incidents/${incident.id}`);
    await staff.getByLabel('Comentario', { exact: true }).fill('Cambiar la lámpara del proyector');
    assert.equal(await staff.locator('.internal-banner').count(), 0);
    await staff.getByLabel(/Interno/).check();
    await staff.getByText('Nota interna: solo la verá el personal, nunca quien reportó.').waitFor();
    await staff.getByRole('button', { name: 'Publicar nota interna' }).click();
    await staff.locator('.timeline-item.is-internal', { hasText: 'Cambiar la lámpara' }).getByText('Interno · solo personal').waitFor();
    await Promise.all([staff.close(), student.close()]);
  });
});
