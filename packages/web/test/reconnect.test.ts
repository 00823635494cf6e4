import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { newPage, signIn } from './helpers/browser.js';
import { DEMO, startWebTest } from './helpers/web-app.js';

/**
 * The connection indicator and resume: when the server drops every WebSocket, the board
 * says it is reconnecting, comes back live by itself, and shows what was reported while it
 * was away — without a reload, because the SDK resumes from the last seq it saw.
 */
const setup = await startWebTest();
const skip = 'skip' in setup ? setup.skip : false;
after(() => ('close' in setup ? setup.close() : undefined));

describe('reconnecting in the browser', { skip }, () => {
  if (skip || !('app' in setup)) return;
  const { app, browser } = setup;

  it('misses nothing reported while the connection was down', async () => {
    const board = await newPage(browser, app.url);
    await signIn(board, DEMO.authority.email, DEMO.authority.password);
    await board.goto('/board');
    await board.locator('.connection-live').waitFor();
    const url = board.url();

    // Keep the socket from coming back until the reports have landed, so they surely land
    // while it is down: a path the server refuses (404), on this origin, since the CSP
    // allows no other.
    const student = await app.login(DEMO.student.email, DEMO.student.password);
    await board.evaluate(() => {
      const page = globalThis as unknown as { WebSocket: new (url: string) => object; unblockWebSocket?: () => void };
      const Native = page.WebSocket;
      let blocked = true;
      page.unblockWebSocket = () => (blocked = false);
      page.WebSocket = class extends Native {
        constructor(url: string) {
          super(blocked ? url.replace('/ws?', '/ws-refused?') : url);
        }
      };
    });
    for (const connection of [...app.system.realtime.registry.all()]) connection.socket.terminate();
    await board.locator('.connection-reconnecting').waitFor();

    const titles = ['Luz parpadeando en el pasillo del tercer piso', 'Puerta de emergencia trabada en el sótano'];
    for (const description of titles) {
      const created = await app.request('POST', '/api/incidents', {
        token: student,
        body: { category: 'infrastructure', urgency: 'medium', locationText: 'Pabellón A', description },
      });
      assert.equal(created.status, 201, created.text);
    }
    assert.equal(await board.locator('.connection-live').count(), 0, 'still down while the reports landed');
    await board.evaluate(() => (globalThis as unknown as { unblockWebSocket: () => void }).unblockWebSocket());

    await board.locator('.connection-live').waitFor({ timeout: 20_000 });
    for (const title of titles) await board.locator('tr', { hasText: title }).waitFor({ timeout: 10_000 });
    assert.equal(board.url(), url, 'the board was not reloaded');
    await board.context().close();
  });
});
