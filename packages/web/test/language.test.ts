import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { newPage, screenshot, signIn } from './helpers/browser.js';
import { WEB_ROOT } from './helpers/web-build.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * Language (issue 14, item 8) in a real browser: counts are plural-correct in Spanish and
 * English (Intl.PluralRules), validation messages are the web app's own in the app's
 * language (not the browser's), a favicon, and the board's filters folded on a phone.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

type Field = { validationMessage: string };
const validationMessage = (page: Page, selector: string) => page.locator(selector).evaluate((element) => (element as unknown as Field).validationMessage);

describe('language: the dictionaries', () => {
  /** A language's dictionary source: every area file under src/i18n/<language>/. */
  const dictionary = (language: string) => {
    const dir = path.join(WEB_ROOT, 'src/i18n', language);
    return fs.readdirSync(dir).map((file) => fs.readFileSync(path.join(dir, file), 'utf8')).join('\n');
  };

  it('the dictionaries word counts with plural blocks, never "(s)"', () => {
    for (const file of ['es', 'en']) {
      const source = dictionary(file);
      assert.doesNotMatch(source, /\w\((s|es|as|os)\)/, `${file} has a hand-made plural`);
      assert.match(source, /\{n, plural, one \{# /, `${file} uses plural blocks`);
    }
  });

  it('word every problem code of docs/api.md in both languages', () => {
    const api = fs.readFileSync(path.join(WEB_ROOT, '../../docs/api.md'), 'utf8');
    const start = api.indexOf('## Problem codes');
    const end = api.indexOf('\n## ', start + 1);
    const table = api.slice(start, end === -1 ? undefined : end);
    const codes = [...table.matchAll(/`([a-z]+(?:_[a-z]+)*)`/g)].map((match) => match[1]!).filter((code) => code !== 'code' && code !== 'detail');
    assert.ok(codes.length > 50, `found ${codes.length} codes`);
    for (const file of ['es', 'en']) {
      const source = dictionary(file);
      const missing = codes.filter((code) => !source.includes(`'error.${code}':`));
      assert.deepEqual(missing, [], `${file} has no sentence for these codes`);
    }
  });
});

describe('language', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  it('counts incidents on the board right for 0, 1 and 5, in Spanish and in English', async () => {
    const student = await app.login(DEMO.student.email, DEMO.student.password);
    const report = async (description: string) => {
      const created = await app.request('POST', '/api/incidents', { token: student, body: { category: 'infrastructure', urgency: 'low', locationCode: 'A-P1', description } });
      assert.equal(created.status, 201, created.text);
    };
    await report('La pizarrauno del aula tiene una esquina rota.');
    for (let i = 1; i <= 5; i++) await report(`Gotera numero ${i} en el pasillo: charcocinco en el suelo.`);

    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.authority.email, DEMO.authority.password);
    await page.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    const cases: [string, string, string][] = [
      // search, Spanish, English
      ['nadaparecido', '0 incidentes mostrados.', '0 incidents shown.'],
      ['pizarrauno', '1 incidente mostrado.', '1 incident shown.'],
      ['charcocinco', '5 incidentes mostrados.', '5 incidents shown.'],
    ];
    for (const [search, spanish] of cases) {
      await page.getByLabel('Buscar', { exact: true }).fill(search);
      await page.getByText(spanish, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incident board' }).waitFor();
    for (const [search, , english] of cases) {
      await page.getByLabel('Search', { exact: true }).fill(search);
      await page.getByText(english, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'Español' }).click();
    await page.context().close();
  });

  it('counts found places right for 1 and 5, in Spanish and in English', async () => {
    const page = await newPage(browser, app.url);
    await signIn(page, DEMO.student.email, DEMO.student.password);
    await page.goto('/report');
    await page.getByRole('heading', { level: 1, name: 'Reportar un incidente' }).waitFor();
    const cases: [string, string, string][] = [
      // query, Spanish, English
      ['cafeteria', '1 lugar encontrado.', '1 place found.'],
      ['laboratorio 2', '5 lugares encontrados.', '5 places found.'],
    ];
    for (const [query, spanish] of cases) {
      await page.getByLabel('Buscar un lugar del campus').fill(query);
      await page.getByText(spanish, { exact: true }).waitFor();
    }
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Report an incident' }).waitFor();
    for (const [query, , english] of cases) {
      await page.getByLabel('Search a campus location').fill(query);
      await page.getByText(english, { exact: true }).waitFor();
    }
    assert.equal(await page.getByText(/\(s\)/).count(), 0);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.context().close();
  });

  it("validation messages are the app's own, in the app's language rather than the browser's", async () => {
    // The browser runs in Spanish (locale es-PE); the app is switched to English.
    const page = await newPage(browser, app.url);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    assert.equal(await validationMessage(page, '#signin-email'), 'Completa este campo.');
    await page.getByLabel('Correo electrónico').fill('no-es-un-correo');
    await page.getByRole('button', { name: 'Ingresar' }).click();
    assert.equal(await validationMessage(page, '#signin-email'), 'Escribe un correo válido, por ejemplo nombre@utec.edu.pe.');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('E-mail').fill('');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await validationMessage(page, '#signin-email'), 'Fill in this field.');
    await page.getByLabel('E-mail').fill('still-not-an-email');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await validationMessage(page, '#signin-email'), 'Enter a valid e-mail address, for example name@utec.edu.pe.');
    // Typing a valid value clears the message, so the form can be sent.
    await page.getByLabel('E-mail').fill(DEMO.student.email);
    assert.equal(await validationMessage(page, '#signin-email'), '');
    await page.getByRole('button', { name: 'Español' }).click();
    await page.context().close();
  });

  it('has a favicon', async () => {
    const index = await app.request('GET', '/', { headers: { accept: 'text/html' } });
    const link = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)"/.exec(index.text);
    assert.ok(link, 'index.html links an SVG icon');
    const icon = await app.request('GET', link[1]!);
    assert.equal(icon.status, 200);
    assert.match(icon.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(icon.text, /^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("the board's filters fold behind “Filtros” on a phone and stay open on a desktop", async () => {
    const phone = await newPage(browser, app.url, 390);
    await signIn(phone, DEMO.authority.email, DEMO.authority.password);
    await phone.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    const toggle = phone.getByRole('button', { name: /^Filtros/ });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await toggle.textContent(), 'Filtros (ninguno activo)');
    await phone.getByLabel('Buscar', { exact: true }).waitFor({ state: 'visible' });
    await phone.getByLabel('Estado').waitFor({ state: 'hidden' });
    await screenshot(phone, 'board-filters-folded-phone');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await phone.getByLabel('Urgencia').selectOption('high');
    await phone.getByRole('button', { name: 'Filtros (1 activo)' }).waitFor();
    await phone.getByLabel('Categoría').selectOption('security');
    await phone.getByRole('button', { name: 'Filtros (2 activos)' }).waitFor();
    await phone.context().close();

    const desktop = await newPage(browser, app.url, 1280);
    await signIn(desktop, DEMO.authority.email, DEMO.authority.password);
    await desktop.getByRole('heading', { level: 1, name: 'Tablero de incidentes' }).waitFor();
    await desktop.getByLabel('Estado').waitFor({ state: 'visible' });
    assert.equal(await desktop.getByRole('button', { name: /^Filtros/ }).isVisible(), false);
    await desktop.context().close();
  });
});
