import { OPEN_STATUSES, URGENCIES, urgencyRank } from '@alertautec/core';
import { sql, type Kysely } from 'kysely';

// Server-side orders of the incident list (docs/incidents.md "Orders and their indexes").
// Two small columns kept with every write (incidents/repository.ts): open_rank (0 while
// pending, in_progress or escalated, 1 after) turns "open" into an equality, and
// urgency_rank (0 critical … 3 low) makes "critical first" an ascending key. Each order
// then has a composite index per board scope: the equality filters first (tenant, then
// department and/or open_rank), the order's key after, the id last, so a page is an
// index range read in order: no scan, no sort of the table. Portable DDL for SQLite and
// PostgreSQL.

const ORDER_INDEXES: Record<string, string[]> = {
  // newest / oldest (the plain tenant and department ones exist since 0002)
  incidents_open_id: ['tenant_id', 'open_rank', 'id'],
  incidents_status_id: ['tenant_id', 'status', 'id'],
  incidents_department_open_id: ['tenant_id', 'department_id', 'open_rank', 'id'],
  // updated
  incidents_updated: ['tenant_id', 'updated_at', 'id'],
  incidents_open_updated: ['tenant_id', 'open_rank', 'updated_at', 'id'],
  incidents_department_updated: ['tenant_id', 'department_id', 'updated_at', 'id'],
  incidents_department_open_updated: ['tenant_id', 'department_id', 'open_rank', 'updated_at', 'id'],
  // urgency: open first, critical first, nearest due, id (also one urgency: its rank is fixed)
  incidents_urgency_order: ['tenant_id', 'open_rank', 'urgency_rank', 'sla_due_at', 'id'],
  incidents_department_urgency_order: ['tenant_id', 'department_id', 'open_rank', 'urgency_rank', 'sla_due_at', 'id'],
  // due: open first by nearest SLA due time, id
  incidents_due_order: ['tenant_id', 'open_rank', 'sla_due_at', 'id'],
  incidents_department_due_order: ['tenant_id', 'department_id', 'open_rank', 'sla_due_at', 'id'],
};

const quoted = (values: readonly string[]) => sql.join(values.map((value) => sql.lit(value)));

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('open_rank', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('incidents').addColumn('urgency_rank', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Incidents already stored get their ranks in one set-based pass.
  const urgencyCases = sql.join(
    URGENCIES.map((urgency) => sql`when ${sql.lit(urgency)} then ${sql.lit(urgencyRank(urgency))}`),
    sql` `,
  );
  await sql`update incidents set
      open_rank = case when status in (${quoted(OPEN_STATUSES)}) then 0 else 1 end,
      urgency_rank = case urgency ${urgencyCases} else ${sql.lit(URGENCIES.length - 1)} end`.execute(db);
  for (const [name, columns] of Object.entries(ORDER_INDEXES)) {
    await db.schema.createIndex(name).on('incidents').columns(columns).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of Object.keys(ORDER_INDEXES)) await db.schema.dropIndex(name).execute();
  await db.schema.alterTable('incidents').dropColumn('urgency_rank').execute();
  await db.schema.alterTable('incidents').dropColumn('open_rank').execute();
}
