import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_ACCOUNTS } from '@alertautec/core';
import { tempDir } from '../helpers/databases.js';
import { png, uploadAttachment } from '../helpers/files.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';

/**
 * A full disk under DATA_DIR (SQLite and the attachments both live there): a small tmpfs
 * mounted as the data directory, filled to the last byte. Writes answer 503 `storage_full`
 * with Retry-After (not 500), /readyz goes red, and once space is freed both recover by
 * themselves — the process never stops.
 */
const mountPoint = tempDir('alertautec-full-disk-');
let mounted = false;
let server: ServerProcess | undefined;
const filler = path.join(mountPoint, 'filler');

try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  mounted = false;
  console.error(`full-disk test skipped: cannot mount a tmpfs (${(error as Error).message.split('\n')[0]})`);
}

after(async () => {
  await server?.stop();
  if (mounted) execFileSync('umount', [mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

/** Writes into `file` until the filesystem has no byte left (ENOSPC). */
function fillDisk(file: string) {
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** A 1×1 PNG, padded to 32 KB so that storing it needs more than one page of disk. */
function attach(target: ServerProcess, token: string, incidentId: string) {
  const image = png();
  return uploadAttachment(target.url, token, incidentId, Buffer.concat([image, Buffer.alloc(32 * 1024 - image.length)]), 'foto.png', { type: 'image/png' });
}

function assertStorageFull(answer: { status: number; headers: Headers; body: { code?: string } }, what: string) {
  assert.equal(answer.status, 503, `${what}: ${JSON.stringify(answer.body)}`);
  assert.equal(answer.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(answer.body.code, 'storage_full', what);
  assert.ok(Number(answer.headers.get('retry-after')) >= 1, `${what}: Retry-After says when to try again`);
}

describe('a full disk under DATA_DIR (SQLite)', { skip: mounted ? false : 'cannot mount a tmpfs here (needs root)' }, () => {
  it('answers 503 storage_full, reports not ready, and recovers once space is freed', async () => {
    server = await spawnServer({ DATA_DIR: mountPoint, ALERTA_DEMO: '1' });
    const running = server;
    await running.ready();
    const student = DEMO_ACCOUNTS.find((account) => account.role === 'student')!;
    const login = await running.request('POST', '/api/auth/login', { body: { email: student.email, password: student.password } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const token = login.body.accessToken as string;
    let n = 0;
    const create = () =>
      running.request('POST', '/api/incidents', {
        token,
        body: { category: 'infrastructure', description: `Fuga de agua número ${++n}`, urgency: 'medium', locationText: 'Pabellón B' },
      });
    const first = await create();
    assert.equal(first.status, 201, JSON.stringify(first.body));

    fillDisk(filler);

    // SQLite writes into its WAL; a WAL that was just restarted reuses its pages, so a
    // write or two may still fit. The next ones need new pages and find none.
    let refused;
    for (let attempt = 0; attempt < 100 && !refused; attempt += 1) {
      const answer = await create();
      if (answer.status !== 201) refused = answer;
    }
    assert.ok(refused, 'a write was refused on the full disk');
    assertStorageFull(refused, 'create on a full disk');
    assertStorageFull(await create(), 'the next create on a full disk');
    assertStorageFull(await attach(running, token, first.body.id as string), 'an attachment on a full disk');

    const notReady = await running.request('GET', '/readyz');
    assert.equal(notReady.status, 503);
    assert.equal(notReady.body.code, 'not_ready');
    assert.equal(notReady.body.reason, 'storage_full');
    assert.ok(Number(notReady.headers.get('retry-after')) >= 1);
    assert.equal((await running.request('GET', '/healthz')).status, 200, 'the process itself is alive');

    // Space comes back: ready again, and writes (database and files) succeed.
    fs.rmSync(filler);
    const ready = await running.request('GET', '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const again = await create();
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const attached = await attach(running, token, first.body.id as string);
    assert.equal(attached.status, 201, JSON.stringify(attached.body));
    const listed = await running.request('GET', '/api/incidents?limit=200', { token });
    assert.ok((listed.body.items as { id: string }[]).some((item) => item.id === again.body.id));
    assert.ok(running.alive(), running.output());
  });
});
