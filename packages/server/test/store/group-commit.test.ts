import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.js';
import type { Db } from '../../src/store/executor.js';
import { groupCommit, type Write } from '../../src/store/group-commit.js';
import { createTestDatabase, openTestStore, rejection, type TestDatabase } from '../helpers/databases.js';

// SQLite's group commit (store/group-commit.ts) on a real file: writes that arrive together
// share one COMMIT; a patient write (a log consumer's batch) rides in the next batch someone
// else starts instead of paying a COMMIT of its own. Batches are counted by the hook that
// runs once per batch before its COMMIT.
describe('group commit (SQLite)', () => {
  let database: TestDatabase;
  let store: Store;
  let write: Write;
  let batches = 0;
  const rows = async () => (await sql<{ v: string }>`select v from group_commit_probe order by v`.execute(store.db)).rows.map((row) => row.v);
  const insert = (value: string) => (trx: Db) => sql`insert into group_commit_probe (v) values (${value})`.execute(trx).then(() => value);

  before(async () => {
    database = await createTestDatabase('sqlite');
    store = await openTestStore(database);
    await sql`create table group_commit_probe (v text primary key)`.execute(store.db);
    write = groupCommit(store.db, async () => void batches++);
  });
  after(async () => {
    await store.close();
    await database.drop();
  });

  it('a patient write rides in the batch the next write starts: one COMMIT for both', async () => {
    batches = 0;
    const patient = write(insert('patient-1'), { patient: true });
    // An ordinary write would have started its batch by now (it waits one turn of the loop).
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const eager = write(insert('eager-1'));
    assert.deepEqual(await Promise.all([patient, eager]), ['patient-1', 'eager-1']);
    assert.equal(batches, 1);
    assert.deepEqual(await rows(), ['eager-1', 'patient-1']);
  });

  it('a patient write with nobody else writing commits on its own', async () => {
    batches = 0;
    assert.equal(await write(insert('patient-2'), { patient: true }), 'patient-2');
    assert.equal(batches, 1);
    assert.ok((await rows()).includes('patient-2'));
  });

  it('a batch holds the write lock from its start: another connection (another process) cannot slip a commit between its read and its write', async () => {
    // Another writer on the same file, as a second process would be (no busy wait: it answers at once).
    const other = new SQLite(path.join(database.dataDir, 'alertautec.db'));
    other.pragma('busy_timeout = 0');
    try {
      let otherError: unknown = null;
      const value = await write(async (trx) => {
        await sql`select count(*) from group_commit_probe`.execute(trx);
        try {
          other.prepare(`insert into group_commit_probe (v) values ('other')`).run();
        } catch (error) {
          otherError = error;
        }
        return insert('after-read')(trx);
      });
      // Begun as a reader, the batch would have let the other commit in and then failed its
      // own write (SQLITE_BUSY_SNAPSHOT); begun immediate, the other one waits its turn.
      assert.equal(value, 'after-read');
      assert.equal((otherError as { code?: string } | null)?.code, 'SQLITE_BUSY');
      assert.ok((await rows()).includes('after-read'));
      other.prepare(`insert into group_commit_probe (v) values ('other')`).run();
    } finally {
      other.close();
    }
  });

  it('a failing patient write rolls back alone; the batch it rode in commits', async () => {
    batches = 0;
    const failing = write(
      async (trx) => {
        await insert('patient-3')(trx);
        throw new Error('refused');
      },
      { patient: true },
    );
    const eager = write(insert('eager-3'));
    assert.equal(((await rejection(failing)) as Error).message, 'refused');
    assert.equal(await eager, 'eager-3');
    assert.equal(batches, 1);
    const stored = await rows();
    assert.ok(stored.includes('eager-3') && !stored.includes('patient-3'), stored.join());
  });
});
