import { sql, type Kysely } from 'kysely';
import { migrationProgress } from '../migration-log.js';

// Statistics in constant time (docs/incidents.md "Statistics"): counters per
// (tenant, time bucket, department, category), kept in the transaction of every incident
// write by incidents/stats-rollup.ts, and built here for the incidents already stored.
// Buckets: span_days 0 = all time (bucket 0), 1 = a UTC day, 32 = a block of 32 UTC days;
// bucket = created_at div (span_days days). Plus a partial index on the incidents still
// waiting for acknowledgement by SLA due time: the one part of the SLA-breach count that
// depends on the time of asking. Portable DDL and set-based SQL for SQLite and PostgreSQL.

const COUNTERS = [
  'incidents',
  'status_pending',
  'status_in_progress',
  'status_escalated',
  'status_resolved',
  'status_closed',
  'status_rejected',
  'urgency_low',
  'urgency_medium',
  'urgency_high',
  'urgency_critical',
  'acknowledged',
  'acknowledge_ms',
  'resolved',
  'resolve_ms',
  'unacknowledged',
  'late_acknowledged',
] as const;

const DAY_MS = 86_400_000;
const BLOCK_DAYS = 32;

const counts = (when: string) => `sum(case when ${when} then 1 else 0 end)`;

/** One incident's contribution to each counter, as SQL over an `incidents` row. */
const PER_INCIDENT: Record<(typeof COUNTERS)[number], string> = {
  incidents: 'count(*)',
  status_pending: counts(`status = 'pending'`),
  status_in_progress: counts(`status = 'in_progress'`),
  status_escalated: counts(`status = 'escalated'`),
  status_resolved: counts(`status = 'resolved'`),
  status_closed: counts(`status = 'closed'`),
  status_rejected: counts(`status = 'rejected'`),
  urgency_low: counts(`urgency = 'low'`),
  urgency_medium: counts(`urgency = 'medium'`),
  urgency_high: counts(`urgency = 'high'`),
  urgency_critical: counts(`urgency = 'critical'`),
  acknowledged: counts('acknowledged_at is not null'),
  acknowledge_ms: 'sum(case when acknowledged_at is null then 0 else acknowledged_at - created_at end)',
  resolved: counts('resolved_at is not null'),
  resolve_ms: 'sum(case when resolved_at is null then 0 else resolved_at - created_at end)',
  unacknowledged: counts('acknowledged_at is null'),
  late_acknowledged: counts('acknowledged_at > sla_due_at'),
};

const columns = `tenant_id, span_days, bucket, department_id, category, ${COUNTERS.join(', ')}`;
const summed = COUNTERS.map((name) => `sum(${name})`).join(', ');

/**
 * Counters for every stored incident, set-based: days from the incidents (one grouped scan),
 * then blocks and all time from the days. Expects an empty `incident_stats`. Bulk loaders that
 * write incidents without the repository (bench seeding) call `rebuildIncidentStats` instead.
 */
export async function backfillIncidentStats(db: Kysely<unknown>): Promise<void> {
  const perIncident = COUNTERS.map((name) => PER_INCIDENT[name]).join(', ');
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from incidents`.execute(db);
  const incidents = Number(rows[0]?.n ?? 0);
  const started = Date.now();
  const progress = (step: string, message: string) =>
    migrationProgress({ migration: '0014-incident-stats', incidents, step, ms: Date.now() - started }, message);
  progress('days', 'counting incidents per day for statistics');
  await sql
    .raw(
      `insert into incident_stats (${columns})
       select tenant_id, 1, created_at / ${DAY_MS}, coalesce(department_id, ''), category, ${perIncident}
       from incidents group by tenant_id, created_at / ${DAY_MS}, coalesce(department_id, ''), category`,
    )
    .execute(db);
  progress('blocks', 'summing statistics per block of days');
  await sql
    .raw(
      `insert into incident_stats (${columns})
       select tenant_id, ${BLOCK_DAYS}, bucket / ${BLOCK_DAYS}, department_id, category, ${summed}
       from incident_stats where span_days = 1 group by tenant_id, bucket / ${BLOCK_DAYS}, department_id, category`,
    )
    .execute(db);
  progress('all', 'summing statistics over all time');
  await sql
    .raw(
      `insert into incident_stats (${columns})
       select tenant_id, 0, 0, department_id, category, ${summed}
       from incident_stats where span_days = 1 group by tenant_id, department_id, category`,
    )
    .execute(db);
  progress('done', 'incident statistics built');
}

/** Throws the counters away and counts every incident again (after a bulk load). */
export async function rebuildIncidentStats(db: Kysely<unknown>): Promise<void> {
  await sql`delete from incident_stats`.execute(db);
  await backfillIncidentStats(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('incident_stats')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('span_days', 'integer', (c) => c.notNull())
    .addColumn('bucket', 'bigint', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull());
  for (const name of COUNTERS) table = table.addColumn(name, 'bigint', (c) => c.notNull().defaultTo(0));
  await table.addPrimaryKeyConstraint('incident_stats_pk', ['tenant_id', 'span_days', 'bucket', 'department_id', 'category']).execute();
  await db.schema
    .createIndex('incidents_unacknowledged_due')
    .on('incidents')
    .columns(['tenant_id', 'sla_due_at'])
    .where(sql.ref('acknowledged_at'), 'is', null)
    .execute();
  await backfillIncidentStats(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('incidents_unacknowledged_due').execute();
  await db.schema.dropTable('incident_stats').execute();
}
