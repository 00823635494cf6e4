import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/db.js';
import { alerta } from '../helpers/cli.js';
import { POSTGRES_URL, postgresUnavailable, tempDir } from '../helpers/databases.js';

/**
 * The operator's CLI as operators run it (`npm run alerta -- <command>`, or the same command line) in a child process,
 * configured by the environment only; exit codes are what scripts rely on.
 */
const dirs: string[] = [];

function freshDataDir(): string {
  const dir = tempDir('alertautec-cli-');
  dirs.push(dir);
  return dir;
}

after(async () => {
  const fs = await import('node:fs');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run alerta', () => {
  it('--help lists the commands, and every command has its own --help', async () => {
    const help = await alerta(['--help'], {}, { viaNpm: true });
    assert.equal(help.code, 0, help.stderr);
    for (const command of ['migrate', 'user', 'jobs', 'run']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
    for (const command of [['migrate'], ['user', 'create'], ['jobs'], ['run']]) {
      const own = await alerta([...command, '--help']);
      assert.equal(own.code, 0, `${command.join(' ')} --help: ${own.stderr}`);
      assert.match(own.stdout, /Usage: alerta/);
    }
    const unknown = await alerta(['explode']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command/);
  });

  it('migrate, user create, jobs and run work on a fresh data directory, with exit codes scripts can trust', async () => {
    const DATA_DIR = freshDataDir();
    const migrate = await alerta(['migrate'], { DATA_DIR });
    assert.equal(migrate.code, 0, migrate.stderr);
    assert.match(migrate.stdout, /up to date/);

    const created = await alerta(['user', 'create', '--email', 'Ana.Torres@Campus.example', '--name', 'Ana Torres', '--role', 'staff', '--department', 'seguridad del campus'], { DATA_DIR });
    assert.equal(created.code, 0, created.stderr);
    const password = /Password: (\S+)/.exec(created.stdout)?.[1];
    assert.ok(password && password.length >= 10, created.stdout);
    const store = await openStore({ databaseUrl: null, dataDir: DATA_DIR });
    try {
      const user = await store.db.selectFrom('users').selectAll().where('email', '=', 'ana.torres@campus.example').executeTakeFirstOrThrow();
      assert.equal(user.role, 'staff');
      const department = await store.db.selectFrom('departments').select('name').where('id', '=', user.department_id!).executeTakeFirstOrThrow();
      assert.equal(department.name, 'Seguridad del Campus');
    } finally {
      await store.close();
    }
    const again = await alerta(['user', 'create', '--email', 'ana.torres@campus.example', '--name', 'Ana', '--role', 'student'], { DATA_DIR });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists/);
    const noDepartment = await alerta(['user', 'create', '--email', 'b@campus.example', '--name', 'B', '--role', 'staff'], { DATA_DIR });
    assert.equal(noDepartment.code, 2);
    assert.match(noDepartment.stderr, /department/);
    const badRole = await alerta(['user', 'create', '--email', 'c@campus.example', '--name', 'C', '--role', 'king'], { DATA_DIR });
    assert.equal(badRole.code, 2);

    const jobs = await alerta(['jobs'], { DATA_DIR });
    assert.equal(jobs.code, 0, jobs.stderr);
    assert.match(jobs.stdout, /^JOB\s+SCHEDULE \(America\/Lima\)\s+NEXT RUN\s+LAST RUN$/m);
    assert.match(jobs.stdout, /^housekeeping\s+7 \* \* \* \*\s+\d{4}-\d\d-\d\dT/m);

    const run = await alerta(['run', 'housekeeping'], { DATA_DIR });
    assert.equal(run.code, 0, run.stderr);
    // Not a terminal: plain lines, no redrawing.
    assert.ok(!run.stdout.includes('\r') && !run.stdout.includes('\u001b['), run.stdout);
    assert.match(run.stdout, /^housekeeping succeeded in [\d.]+ s\.$/m);
    const listed = await alerta(['jobs'], { DATA_DIR });
    assert.match(listed.stdout, /^housekeeping\s.*succeeded /m);

    const missing = await alerta(['run', 'nope'], { DATA_DIR });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no job "nope" to run on demand; the jobs are: housekeeping, escalation.sweep/);
    const internal = await alerta(['run', 'notification.deliver'], { DATA_DIR });
    assert.equal(internal.code, 2);
  });

  it('bad configuration is refused with exit code 78, naming the variable', async () => {
    const answer = await alerta(['migrate'], { DATA_DIR: freshDataDir(), DATABASE_URL: 'mysql://localhost/x' });
    assert.equal(answer.code, 78);
    assert.match(answer.stderr, /DATABASE_URL/);
  });

  it('migrate works on PostgreSQL too', async (context) => {
    const why = await postgresUnavailable();
    if (why) {
      if (process.env.REQUIRE_POSTGRES === '1') assert.fail(why);
      return context.skip(why);
    }
    const schema = `t_${randomBytes(6).toString('hex')}`;
    try {
      const answer = await alerta(['migrate'], { DATA_DIR: freshDataDir(), DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema });
      assert.equal(answer.code, 0, answer.stderr);
      assert.match(answer.stdout, /up to date \(postgres\)/);
    } finally {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  });
});
