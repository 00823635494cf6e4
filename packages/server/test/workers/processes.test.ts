import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, openTestStore, postgresUnavailable, tempDir, type TestDatabase } from '../helpers/databases.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The worker runtime across real processes on one PostgreSQL: two nodes race for the same
 * scheduled run at the same instant, and a node killed with SIGKILL in the middle of a job
 * leaves it to the other once its lease has expired.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/worker-node.ts', import.meta.url));
const START = Date.UTC(2026, 5, 1, 12, 0, 30);
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';
const unavailable = await postgresUnavailable();

interface Node {
  child: ChildProcess;
  send(cmd: 'round' | 'startBlocking' | 'exit', now: number): Promise<void>;
}

function startNode(database: TestDatabase, out: string): Promise<Node> {
  const child = fork(FIXTURE, [], {
    execArgv: ['--conditions=source', '--import', 'tsx'],
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.databaseUrl!, SCHEMA: database.schema!, DATA_DIR: database.dataDir, OUT_FILE: out, START_AT: String(START) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map<number, { resolve(): void; reject(error: Error): void }>();
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: { ready?: boolean; id?: number; ok?: boolean; error?: string }) => {
      if (message.ready) {
        resolve({
          child,
          send: (cmd, now) =>
            new Promise<void>((done, fail) => {
              const id = next++;
              waiting.set(id, { resolve: done, reject: fail });
              child.send({ id, cmd, now });
            }),
        });
        return;
      }
      const waiter = waiting.get(message.id!);
      waiting.delete(message.id!);
      if (message.ok) waiter?.resolve();
      else waiter?.reject(new Error(message.error));
    });
  });
}

const exited = (node: Node) => new Promise<void>((resolve) => (node.child.exitCode !== null ? resolve() : node.child.once('exit', () => resolve())));

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

describe('worker runtime across processes [postgres]', { skip: unavailable && !REQUIRE_POSTGRES ? unavailable : false }, () => {
  let database: TestDatabase;
  let nodes: Node[] = [];
  let dir: string;

  before(async () => {
    if (unavailable) assert.fail(unavailable);
    database = await createTestDatabase('postgres');
    (await openTestStore(database)).close(); // migrated once, before the nodes race
    dir = tempDir('alertautec-workers-');
  });
  after(async () => {
    for (const node of nodes) node.child.kill('SIGKILL');
    nodes = [];
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two processes racing for the same scheduled run: exactly one runs it, 20 rounds in a row', async () => {
    const out = path.join(dir, 'race.log');
    nodes = await Promise.all([startNode(database, out), startNode(database, out)]);
    for (let round = 0; round < 20; round++) {
      const now = START + round * 60_000;
      await Promise.all(nodes.map((node) => node.send('round', now)));
      const ticks = lines(out).filter((line) => line.startsWith('tick '));
      assert.equal(ticks.length, round + 1, `round ${round}: ${ticks.join(' | ')}`);
      const scheduledAt = Number(ticks.at(-1)!.split(' ')[2]);
      assert.equal(scheduledAt, Math.floor(now / 60_000) * 60_000, `round ${round} ran the minute it was due`);
    }
    const pids = new Set(lines(out).map((line) => line.split(' ')[1]));
    assert.ok(pids.size >= 1);
    await Promise.all(nodes.map((node) => node.send('exit', START).then(() => exited(node))));
    nodes = [];
  });

  it('a process killed with SIGKILL mid-job leaves the job to the other after its lease expires', async () => {
    const out = path.join(dir, 'kill.log');
    const [victim, survivor] = (nodes = await Promise.all([startNode(database, out), startNode(database, out)]));
    const now = START + 100 * 60_000;
    await victim!.send('startBlocking', now);
    await waitFor(async () => lines(out).some((line) => line === `start ${victim!.child.pid} 1`), 10_000, 'the first attempt to start');
    victim!.child.kill('SIGKILL');
    await new Promise((resolve) => victim!.child.once('exit', resolve));

    // Within the lease nobody may take it …
    await survivor!.send('round', now + 29_000);
    assert.ok(!lines(out).some((line) => line.startsWith(`start ${survivor!.child.pid}`)), 'taken before its lease expired');
    // … after it, the survivor runs it as attempt 2.
    await survivor!.send('round', now + 31_000);
    assert.ok(lines(out).includes(`done ${survivor!.child.pid} 2`), lines(out).join(' | '));
    const store = await openTestStore(database);
    try {
      const job = await store.db.selectFrom('jobs').selectAll().where('kind', '=', 'race.block').executeTakeFirstOrThrow();
      assert.equal(job.state, 'succeeded');
      assert.equal(job.attempts, 2);
    } finally {
      await store.close();
    }
    await survivor!.send('exit', now + 31_000);
    await exited(survivor!);
    nodes = [];
  });
});
