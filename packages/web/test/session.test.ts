import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Page, Response } from 'playwright-core';
import { newPage, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The web app keeps its refresh token where script cannot reach it: an HttpOnly,
 * SameSite=Strict cookie on /api/auth. localStorage holds only who is signed in; the
 * access token lives in memory. A reload (and a second tab) restores the session with the
 * cookie; tabs refreshing at once take turns, so none presents a spent token (which would
 * end the session for all). Signing out ends the session on the server and drops the cookie.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

/** Every /api/auth/{login,refresh} answer a page receives: status and JSON body. */
function recordAuthAnswers(page: Page) {
  const answers: { path: string; status: number; body: Record<string, unknown> }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response: Response) => {
    const path = new URL(response.url()).pathname;
    if (path !== '/api/auth/login' && path !== '/api/auth/refresh') return;
    pending.push(
      response.json().then(
        (body: Record<string, unknown>) => void answers.push({ path, status: response.status(), body }),
        () => void answers.push({ path, status: response.status(), body: {} }),
      ),
    );
  });
  return { answers, settled: () => Promise.all(pending) };
}

const storageOf = (page: Page) =>
  page.evaluate(() => {
    const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(key: string): string | null } }).localStorage;
    return Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`).join('\n');
  });

describe('the session in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  it('keeps the refresh token in an HttpOnly cookie, restores the session on reload in two tabs, and ends it on sign-out', async () => {
    const board = await newPage(browser, app.url);
    const recorded = recordAuthAnswers(board);
    await signIn(board, DEMO.authority.email, DEMO.authority.password);
    await board.locator('.connection-live').waitFor();
    await recorded.settled();

    const login = recorded.answers.find((answer) => answer.path === '/api/auth/login')!;
    assert.equal(login.status, 200);
    assert.equal(login.body.refreshToken, undefined, 'no refresh token in the sign-in answer');
    const stored = await storageOf(board);
    assert.match(stored, /alertautec\.session=/, 'who is signed in is remembered');
    assert.doesNotMatch(stored, /rt_|refreshToken|accessToken/, `localStorage holds no token:\n${stored}`);
    assert.ok(!stored.includes(String(login.body.accessToken)));
    assert.equal(await board.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie), '', 'script sees no cookie');
    const cookies = await board.context().cookies();
    const refresh = cookies.find((cookie) => cookie.name === 'alertautec_refresh');
    assert.ok(refresh, `the refresh cookie is set: ${JSON.stringify(cookies)}`);
    assert.equal(refresh.httpOnly, true);
    assert.equal(refresh.sameSite, 'Strict');
    assert.equal(refresh.path, '/api/auth');
    assert.match(refresh.value, /^rt_/);

    // A second tab of the same browser: signed in already, through the cookie.
    const second = await board.context().newPage();
    const recordedSecond = recordAuthAnswers(second);
    await second.goto('/board');
    await second.getByRole('heading', { name: 'Tablero de incidentes' }).waitFor();
    await second.locator('.connection-live').waitFor();

    // Both tabs reload at once: both restore their access token with the one cookie.
    await Promise.all([board.reload(), second.reload()]);
    for (const page of [board, second]) {
      await page.getByRole('heading', { name: 'Tablero de incidentes' }).waitFor();
      await page.locator('.connection-live').waitFor();
      assert.equal(new URL(page.url()).pathname, '/board');
    }
    await Promise.all([recorded.settled(), recordedSecond.settled()]);
    const refreshes = [...recorded.answers, ...recordedSecond.answers].filter((answer) => answer.path === '/api/auth/refresh');
    assert.ok(refreshes.length >= 3, `each tab refreshed after loading (${refreshes.length})`);
    assert.deepEqual(
      refreshes.map((answer) => answer.status),
      refreshes.map(() => 200),
      'no refresh presented a spent token',
    );
    assert.ok(refreshes.every((answer) => answer.body.refreshToken === undefined));
    assert.doesNotMatch(await storageOf(second), /rt_|refreshToken|accessToken/);

    // Signing out ends the session on the server (the last access token dies at once),
    // drops the cookie, and signs the other tab out too.
    const lastAccessToken = String(refreshes.at(-1)!.body.accessToken);
    assert.equal((await app.request('GET', '/api/auth/me', { token: lastAccessToken })).status, 200);
    const loggedOut = board.waitForResponse((response) => new URL(response.url()).pathname === '/api/auth/logout');
    await board.getByRole('button', { name: 'Cerrar sesión' }).click();
    assert.equal((await loggedOut).status(), 204);
    await board.waitForURL((url) => url.pathname === '/login');
    await second.waitForURL((url) => url.pathname === '/login');
    assert.equal((await board.context().cookies()).find((cookie) => cookie.name === 'alertautec_refresh'), undefined, 'the cookie is gone');
    const after = await app.request('GET', '/api/auth/me', { token: lastAccessToken });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'session_ended');
    assert.equal(await storageOf(board), '');
    await board.context().close();
  });
});
