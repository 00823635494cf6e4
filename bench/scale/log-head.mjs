// The per-tenant log-head lock on PostgreSQL (issue 13 item 5): 32 concurrent writers, each
// transaction shaped like an incident creation's log work (insert the incident row, bump the
// tenant's log_heads row, insert the event), against the same writers with no head row (the
// event's seq from a sequence: no serialization, but then seq order is no longer commit
// order, which is what lets consumers read `seq > cursor` without missing a late commit).
// Variants interleaved, each BENCH_LOGHEAD_SECONDS long, median of 3 rounds.
import pg from 'pg';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WRITERS = 32;
const SECONDS = Number(process.env.BENCH_LOGHEAD_SECONDS ?? 5);
const ROUNDS = 3;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function variant(pool, schema, kind, tenants) {
  await pool.query(`truncate "${schema}".events, "${schema}".incidents`);
  await pool.query(`update "${schema}".log_heads set seq = 0`);
  await pool.query(`alter sequence "${schema}".event_seq restart`);
  const deadline = Date.now() + SECONDS * 1000;
  let done = 0;
  const payload = JSON.stringify({ category: 'infrastructure', title: 'Fuga de agua en el baño', urgency: 'medium', status: 'pending' });
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, writer) => {
      const client = await pool.connect();
      try {
        const tenant = `t${writer % tenants}`;
        while (Date.now() < deadline) {
          await client.query('begin');
          const id = `${writer}-${done}-${Math.random()}`;
          await client.query(`insert into "${schema}".incidents (id, tenant_id, body) values ($1, $2, $3)`, [id, tenant, payload]);
          if (kind === 'head') {
            const { rows } = await client.query(`update "${schema}".log_heads set seq = seq + 1 where tenant_id = $1 returning seq`, [tenant]);
            await client.query(`insert into "${schema}".events (tenant_id, seq, incident_id, payload) values ($1, $2, $3, $4)`, [tenant, rows[0].seq, id, payload]);
          } else {
            await client.query(`insert into "${schema}".events (tenant_id, seq, incident_id, payload) values ($1, nextval('"${schema}".event_seq'), $2, $3)`, [tenant, id, payload]);
          }
          await client.query('commit');
          done++;
        }
      } finally {
        client.release();
      }
    }),
  );
  return Math.round(done / SECONDS);
}

export async function logHeadLock() {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: WRITERS });
  const schema = `bench_loghead_${process.pid}`;
  try {
    await pool.query(`create schema "${schema}"`);
    await pool.query(`create table "${schema}".incidents (id text primary key, tenant_id text not null, body text not null)`);
    await pool.query(`create table "${schema}".log_heads (tenant_id text primary key, seq bigint not null)`);
    await pool.query(`create table "${schema}".events (tenant_id text not null, seq bigint not null, incident_id text not null, payload text not null, primary key (tenant_id, seq))`);
    await pool.query(`create sequence "${schema}".event_seq`);
    for (let t = 0; t < 8; t++) await pool.query(`insert into "${schema}".log_heads values ($1, 0)`, [`t${t}`]);
    const runs = { head: [], sequence: [], headEightTenants: [] };
    for (let round = 0; round < ROUNDS; round++) {
      runs.head.push(await variant(pool, schema, 'head', 1));
      runs.sequence.push(await variant(pool, schema, 'sequence', 1));
      runs.headEightTenants.push(await variant(pool, schema, 'head', 8));
      console.log(`  log-head round ${round + 1}: head ${runs.head.at(-1)}/s, sequence ${runs.sequence.at(-1)}/s, head over 8 tenants ${runs.headEightTenants.at(-1)}/s`);
    }
    const head = median(runs.head);
    const sequence = median(runs.sequence);
    return {
      writers: WRITERS,
      secondsPerRun: SECONDS,
      writesPerSecond: { head, sequence, headEightTenants: median(runs.headEightTenants) },
      headToSequenceRatio: Math.round((head / sequence) * 100) / 100,
      runs,
    };
  } finally {
    await pool.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await pool.end();
  }
}
