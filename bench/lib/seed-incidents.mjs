// Bulk seeder for benchmarks: N incidents (default 1,000,000) with their event log, written
// straight into a store the product opened (so its migrations ran) for one tenant whose
// catalog (categories, departments, locations) the product created. Reused by bench/reports
// and meant for bench/scale (million-incident list, search, stats).
//
// What it writes, valid for the real schema and for what the repositories read:
//  - `users`: N reporter accounts (students, `seed-reporter-<i>@seed.utec.example`, with the
//    demo student's password hash when there is one, so any can log in with it);
//  - `incidents`: UUIDv7 ids taken from created_at (the list's order is the id's order),
//    created over `years` (default 2) ending at `now` (more on weekdays and campus hours, fewer
//    in the summer break, growing over time), categories / urgencies / departments with
//    realistic weights, the category's routing (a few reassigned), a location of the catalog
//    or free text, search_text folded as the product folds it, sla_due_at from the default SLA
//    policy, and a lifecycle drawn per urgency: acknowledged_at (first move out of pending),
//    escalations at the SLA due time, resolved_at, closings, rejections, a few never handled.
//    Status, version and updated_at are those of the events that happened before `now`; later
//    ones are never written. Columns later migrations derive from the incident (the list
//    orders' open_rank and urgency_rank) are filled when the table has them (DERIVED_COLUMNS);
//    a required column the seeder does not know stops it;
//  - `incident_events`: IncidentCreated, IncidentStatusChanged, IncidentEscalated,
//    DepartmentAssigned and CommentAdded (some internal) with the contract's payloads, seq in
//    time order after the tenant's head (about 4 per incident); `log_heads` moved to the last
//    seq, and every consumer cursor of the tenant moved there too (`advanceConsumers`), so
//    that a worker started on the data does not replay a million incidents' history;
//  - what the repository keeps in step with incident writes: the search index (SQLite FTS
//    rows, filled in one statement; PostgreSQL's GIN index is an index) and the
//    `incident_stats` counters (rebuilt with the product's rebuildIncidentStats).
// Speed: the secondary indexes of `incidents` and `incident_events` are dropped before the
// load and recreated from their own stored definitions afterwards (built once by sorting).
// SQLite: one extra better-sqlite3 connection on the store's file, multi-row INSERTs of 100
// rows, a transaction per 25,000 incidents, synchronous=OFF on that connection only.
// PostgreSQL: INSERT … SELECT FROM unnest($1::text[], …) of 5,000 rows per statement, a
// transaction per 25,000 incidents, then VACUUM ANALYZE (what autovacuum does after a bulk load).
// For a fresh database: a load that fails halfway leaves it without those indexes.
// Deterministic for a given `seed` and `now`.
import path from 'node:path';
import { DEFAULT_SLA, foldText, openRank, urgencyRank } from '@alertautec/core';
import * as server from '@alertautec/server';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;

/** Small fast PRNG (mulberry32): the same seed gives the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickWeighted = (random, items, weights) => {
  const total = weights.reduce((a, b) => a + b, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i];
    if (r < 0) return items[i];
  }
  return items[items.length - 1];
};

/** A log-normal delay with this median and spread (sigma of the underlying normal). */
function logNormal(random, median, sigma) {
  const u = Math.max(random(), 1e-12);
  const v = random();
  return median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** UUIDv7 of `ms` with random bits from `random`. */
function uuidv7(ms, random) {
  const t = ms.toString(16).padStart(12, '0');
  const r = () => HEX[(random() * 256) | 0];
  const variant = HEX[0x80 | ((random() * 64) | 0)];
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${HEX[(random() * 256) | 0].slice(1)}${r()}-${variant}${r()}-${r()}${r()}${r()}${r()}${r()}${r()}`;
}

const CATEGORY_WEIGHTS = { infrastructure: 30, cleaning: 20, technology: 18, security: 14, health: 6, other: 12 };
const URGENCIES = ['low', 'medium', 'high', 'critical'];
const URGENCY_WEIGHTS = [35, 38, 20, 7];
// Medians of the time to acknowledge and to resolve, per urgency.
const ACK_MEDIAN = { critical: 6 * MIN, high: 35 * MIN, medium: 3 * HOUR, low: 10 * HOUR };
const RESOLVE_MEDIAN = { critical: 2 * HOUR, high: 8 * HOUR, medium: 30 * HOUR, low: 3 * DAY };

const TEXTS = {
  infrastructure: ['Fuga de agua en el baño del segundo piso', 'Puerta del aula no cierra', 'Luminaria apagada en el pasillo', 'Ascensor detenido entre pisos', 'Grieta en la pared del laboratorio'],
  cleaning: ['Basura acumulada junto a la cafetería', 'Derrame de líquido en la escalera', 'Baño sin papel ni jabón', 'Mal olor en el comedor'],
  technology: ['Proyector del aula no enciende', 'Sin conexión wifi en la biblioteca', 'Computadora del laboratorio bloqueada', 'Impresora atascada en sala de estudio'],
  security: ['Persona desconocida merodeando el estacionamiento', 'Bicicleta robada en el bicicletero', 'Cámara de seguridad apagada', 'Puerta de emergencia abierta'],
  health: ['Estudiante con mareo en el aula', 'Caída en la escalera principal', 'Reacción alérgica en la cafetería'],
  other: ['Objeto perdido en el auditorio', 'Ruido excesivo en zona de estudio', 'Señalización dañada en el patio'],
};
const FREE_PLACES = ['Patio central', 'Estacionamiento sótano 2', 'Cafetería del primer piso', 'Entrada principal', 'Zona de estudio del cuarto piso'];
const COMMENTS = ['Se envió a un técnico.', 'Pendiente de repuesto.', 'Revisado en sitio, se programa arreglo.', 'El reportante confirma el problema.', 'Coordinado con el área responsable.'];

const INCIDENT_COLUMNS = [
  'id', 'tenant_id', 'category', 'title', 'description', 'urgency', 'status', 'location_code', 'location_text', 'lat', 'lng',
  'department_id', 'reporter_id', 'anonymous', 'created_at', 'updated_at', 'acknowledged_at', 'resolved_at', 'sla_due_at',
  'version', 'search_text',
];
const INCIDENT_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'float8', 'float8', 'text', 'text', 'int4', 'int8', 'int8', 'int8', 'int8', 'int8', 'int4', 'text'];
/**
 * Columns later migrations added that the repository fills from the incident (the list
 * orders' ranks): written when the table has them. A column the seeder does not know that
 * must be given a value stops it (teach it here).
 */
const DERIVED_COLUMNS = [
  { name: 'open_rank', type: 'int4', value: (status) => openRank(status) },
  { name: 'urgency_rank', type: 'int4', value: (_status, urgency) => urgencyRank(urgency) },
];
const EVENT_COLUMNS = ['tenant_id', 'seq', 'incident_id', 'type', 'at', 'actor_id', 'internal', 'payload'];
const EVENT_TYPES = ['text', 'int8', 'text', 'text', 'int8', 'text', 'int4', 'text'];

/** A min-heap of pending events by time (then by order of creation): the log is written in time order. */
class EventHeap {
  items = [];
  push(event) {
    const items = this.items;
    items.push(event);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  less(a, b) {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }
  peek() {
    return this.items[0];
  }
  pop() {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.less(items[l], items[m])) m = l;
        if (r < items.length && this.less(items[r], items[m])) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m], items[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Per-day weights over the period: fewer on weekends and in the summer break (Jan–Feb), growing over time. */
function dayWeights(from, days) {
  const weights = new Float64Array(days);
  for (let d = 0; d < days; d++) {
    const date = new Date(from + d * DAY + 12 * HOUR);
    const weekday = date.getUTCDay();
    const month = date.getUTCMonth();
    weights[d] = (1 + (0.6 * d) / days) * (weekday === 0 ? 0.25 : weekday === 6 ? 0.45 : 1) * (month <= 1 ? 0.35 : month === 6 ? 0.7 : 1);
  }
  return weights;
}

// Campus hours in Lima (UTC−5): weights per UTC hour, peak 13:00–01:00 UTC (08:00–20:00 local).
const HOUR_WEIGHTS = Array.from({ length: 24 }, (_, utcHour) => {
  const local = (utcHour + 19) % 24;
  return local >= 8 && local < 20 ? 10 : local >= 6 && local < 23 ? 3 : 0.5;
});

const HOURS = HOUR_WEIGHTS.map((_, h) => h);

/**
 * Seeds `incidents` incidents (and their events, and `reporters` reporter accounts) into the
 * tenant of an open store. Returns counts and timings (seconds).
 * @param {object} options
 * @param {{ db: import('kysely').Kysely<any>, dialect: 'sqlite' | 'postgres', dataDir: string }} options.store the product's store (openStore or system.store)
 * @param {string} [options.tenantId] default 'default'
 * @param {number} [options.incidents] default 1,000,000
 * @param {number} [options.reporters] default 2,000
 * @param {number} [options.years] default 2
 * @param {number} [options.now] the end of the period (ms), default Date.now()
 * @param {number} [options.seed] default 12
 * @param {boolean} [options.advanceConsumers] move the tenant's consumer cursors to the new head (default true)
 * @param {(done: number, total: number) => void} [options.onProgress]
 */
export async function seedIncidents(options) {
  const { store } = options;
  const tenantId = options.tenantId ?? 'default';
  const total = options.incidents ?? 1_000_000;
  const reporterCount = options.reporters ?? 2_000;
  const now = options.now ?? Date.now();
  const days = Math.round((options.years ?? 2) * 365);
  const from = now - days * DAY;
  const random = prng(options.seed ?? 12);
  const onProgress = options.onProgress ?? (() => undefined);
  const startedAt = performance.now();
  const { db } = store;

  // The tenant's catalog, as the product created it.
  const categories = await db.selectFrom('categories').select(['code', 'department_id']).where('tenant_id', '=', tenantId).orderBy('code').execute();
  const departments = (await db.selectFrom('departments').select('id').where('tenant_id', '=', tenantId).orderBy('id').execute()).map((row) => row.id);
  const locations = await db.selectFrom('locations').selectAll().where('tenant_id', '=', tenantId).orderBy('code').execute();
  if (categories.length === 0 || departments.length === 0) throw new Error(`Tenant ${tenantId} has no catalog: open it with the product first`);
  const staff = (await db.selectFrom('users').select(['id', 'role']).where('tenant_id', '=', tenantId).where('role', 'in', ['admin', 'authority', 'staff']).orderBy('id').execute()).map((row) => row.id);
  const student = await db.selectFrom('users').select('password_hash').where('tenant_id', '=', tenantId).where('role', '=', 'student').executeTakeFirst();
  const headRow = await db.selectFrom('log_heads').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
  let seq = headRow ? Number(headRow.seq) : 0;

  const derived = await derivedColumns(store);
  const columns = { names: [...INCIDENT_COLUMNS, ...derived.map((c) => c.name)], types: [...INCIDENT_TYPES, ...derived.map((c) => c.type)] };
  const writer = store.dialect === 'sqlite' ? sqliteWriter(store, columns) : postgresWriter(store, columns);

  // Reporter accounts.
  const reporters = [];
  const userRows = [];
  for (let i = 0; i < reporterCount; i++) {
    const at = from - DAY + i;
    const id = uuidv7(at, random);
    reporters.push(id);
    userRows.push([id, tenantId, `seed-reporter-${String(i).padStart(6, '0')}@seed.utec.example`, `Estudiante ${i}`, student?.password_hash ?? '!seeded', 'student', null, 0, at, at]);
  }
  await writer.users(userRows);
  await writer.dropSecondary();
  const actors = staff.length > 0 ? staff : reporters.slice(0, 1);

  // Texts and their folded search text, per category and place, computed once.
  const categoryCodes = categories.map((c) => c.code);
  const categoryWeights = categoryCodes.map((code) => CATEGORY_WEIGHTS[code] ?? 8);
  const routeOf = new Map(categories.map((c) => [c.code, c.department_id]));
  const places = [...locations.map((l) => ({ code: l.code, text: null, lat: l.lat, lng: l.lng, words: [l.code, l.name, l.building] })), ...FREE_PLACES.map((text) => ({ code: null, text, lat: null, lng: null, words: [text] }))];
  const searchCache = new Map();
  const searchText = (title, description, place, placeIndex) => {
    const key = `${title}\u0000${placeIndex}`;
    let text = searchCache.get(key);
    if (text === undefined) searchCache.set(key, (text = foldText([title, description, ...place.words].filter(Boolean).join(' '))));
    return text;
  };

  // Incidents per day, then times within each day by campus hour.
  const weights = dayWeights(from, days);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const perDay = new Int32Array(days);
  let assigned = 0;
  for (let d = 0; d < days; d++) assigned += perDay[d] = Math.floor((weights[d] / weightSum) * total);
  for (let d = 0; assigned < total; d = (d + 7) % days) {
    perDay[d]++;
    assigned++;
  }

  const heap = new EventHeap();
  let order = 0;
  const incidentBatch = [];
  const eventBatch = [];
  let incidentsWritten = 0;
  let eventsWritten = 0;
  const emit = (event) => {
    seq += 1;
    eventBatch.push([tenantId, seq, event.incidentId, event.type, event.at, event.actorId, event.internal ? 1 : 0, JSON.stringify(event.payload)]);
  };
  const flushEventsUpTo = (at) => {
    while (heap.items.length > 0 && heap.peek().at <= at) emit(heap.pop());
  };
  const iso = (ms) => new Date(ms).toISOString();
  const TX_SIZE = 25_000;
  let pendingCommit = 0;

  await writer.begin();
  for (let d = 0; d < days; d++) {
    const times = new Float64Array(perDay[d]);
    for (let i = 0; i < times.length; i++) {
      const hour = pickWeighted(random, HOURS, HOUR_WEIGHTS);
      times[i] = from + d * DAY + hour * HOUR + Math.floor(random() * HOUR);
    }
    times.sort();
    for (const createdAt of times) {
      if (createdAt > now) continue;
      flushEventsUpTo(createdAt);
      const id = uuidv7(createdAt, random);
      const category = pickWeighted(random, categoryCodes, categoryWeights);
      const urgency = pickWeighted(random, URGENCIES, URGENCY_WEIGHTS);
      const texts = TEXTS[category] ?? TEXTS.other;
      const title = texts[(random() * texts.length) | 0];
      const placeIndex = (random() * places.length) | 0;
      const place = places[placeIndex];
      const description = `${title}. Reportado desde ${place.text ?? place.code}; por favor revisar.`;
      const reporterId = reporters[(random() * reporters.length) | 0];
      const anonymous = random() < 0.08 ? 1 : 0;
      const slaDue = createdAt + DEFAULT_SLA[urgency] * 1000;
      let departmentId = routeOf.get(category) ?? null;
      const actor = () => actors[(random() * actors.length) | 0];

      // The lifecycle, then only what happened before `now`.
      const moves = [];
      const fate = random();
      if (fate < 0.04) {
        moves.push({ at: createdAt + Math.round(logNormal(random, 2 * HOUR, 1)), to: 'rejected' });
      } else if (fate > 0.995) {
        // Never handled: stays pending.
      } else {
        const ackAt = createdAt + Math.round(logNormal(random, ACK_MEDIAN[urgency], 1.1));
        if (ackAt > slaDue && random() < 0.5) moves.push({ at: slaDue + 30_000, to: 'escalated', reason: 'sla_breach' });
        moves.push({ at: Math.max(ackAt, moves[0]?.at ?? 0) + 1, to: 'in_progress' });
        if (random() > 0.02) {
          const resolvedAt = moves.at(-1).at + Math.round(logNormal(random, RESOLVE_MEDIAN[urgency], 1));
          moves.push({ at: resolvedAt, to: 'resolved' });
          if (random() < 0.65) moves.push({ at: resolvedAt + Math.round(logNormal(random, 2 * DAY, 0.8)), to: 'closed' });
        }
      }
      let status = 'pending';
      let updatedAt = createdAt;
      let acknowledgedAt = null;
      let resolvedAt = null;
      let version = 1;
      const future = [];
      for (const move of moves) {
        if (move.at > now) break;
        const previous = status;
        status = move.to;
        updatedAt = move.at;
        version += 1;
        if (previous === 'pending') acknowledgedAt = move.at;
        if (move.to === 'resolved') resolvedAt = move.at;
        const by = move.reason ? null : actor();
        future.push(
          move.to === 'escalated'
            ? { type: 'IncidentEscalated', at: move.at, actorId: null, internal: false, payload: { reason: 'sla_breach', slaDueAt: iso(slaDue), level: 1, status: 'escalated', previousStatus: previous, updatedBy: null, updatedAt: iso(move.at) } }
            : { type: 'IncidentStatusChanged', at: move.at, actorId: by, internal: false, payload: { status: move.to, previousStatus: previous, updatedBy: by, updatedAt: iso(move.at) } },
        );
      }
      // A few are routed elsewhere by an authority, early in their life.
      if (random() < 0.03) {
        const at = createdAt + Math.round(logNormal(random, 20 * MIN, 1));
        const other = departments[(random() * departments.length) | 0];
        if (at <= now && other !== departmentId) {
          future.push({ type: 'DepartmentAssigned', at, actorId: actor(), internal: false, payload: { departmentId: other, previousDepartmentId: departmentId } });
          departmentId = other;
          version += 1;
          updatedAt = Math.max(updatedAt, at);
        }
      }
      if (random() < 0.3) {
        const at = createdAt + Math.round(logNormal(random, 4 * HOUR, 1.2));
        const internal = random() < 0.5;
        const author = actor();
        if (at <= now) future.push({ type: 'CommentAdded', at, actorId: author, internal, payload: { commentId: uuidv7(at, random), text: COMMENTS[(random() * COMMENTS.length) | 0], internal, authorId: author } });
      }

      incidentBatch.push([
        id, tenantId, category, title, description, urgency, status, place.code, place.text, place.lat, place.lng,
        departmentId, reporterId, anonymous, createdAt, updatedAt, acknowledgedAt, resolvedAt, slaDue, version,
        searchText(title, description, place, placeIndex), ...derived.map((c) => c.value(status, urgency)),
      ]);
      emit({
        type: 'IncidentCreated',
        incidentId: id,
        at: createdAt,
        actorId: reporterId,
        internal: false,
        payload: { reporterId, category, title, locationCode: place.code, locationText: place.text, urgency, status: 'pending', departmentId: routeOf.get(category) ?? null, createdAt: iso(createdAt) },
      });
      for (const event of future) heap.push({ ...event, incidentId: id, order: order++ });

      pendingCommit += 1;
      if (incidentBatch.length >= writer.batch) {
        await writer.incidents(incidentBatch.splice(0));
        incidentsWritten += writer.batch;
      }
      if (eventBatch.length >= writer.batch) {
        eventsWritten += eventBatch.length;
        await writer.events(eventBatch.splice(0));
      }
      if (pendingCommit >= TX_SIZE) {
        await writer.commit();
        await writer.begin();
        pendingCommit = 0;
        onProgress(incidentsWritten, total);
      }
    }
  }
  flushEventsUpTo(now);
  incidentsWritten += incidentBatch.length;
  await writer.incidents(incidentBatch.splice(0));
  eventsWritten += eventBatch.length;
  await writer.events(eventBatch.splice(0));
  await writer.head(tenantId, seq, options.advanceConsumers ?? true, now);
  await writer.commit();
  const writtenAt = performance.now();
  await writer.finish();
  // Tables the repository keeps in step with every incident write, rebuilt in one pass.
  let statsSeconds = null;
  if (await hasTable(store, 'incident_stats')) {
    if (typeof server.rebuildIncidentStats !== 'function') throw new Error('incident_stats exists but @alertautec/server does not export rebuildIncidentStats');
    const statsStartedAt = performance.now();
    await server.rebuildIncidentStats(db);
    statsSeconds = (performance.now() - statsStartedAt) / 1000;
  }
  onProgress(incidentsWritten, total);
  return {
    incidents: incidentsWritten,
    events: eventsWritten,
    reporters: reporterCount,
    from,
    now,
    headSeq: seq,
    seconds: (performance.now() - startedAt) / 1000,
    writeSeconds: (writtenAt - startedAt) / 1000,
    statsSeconds,
    derivedColumns: derived.map((c) => c.name),
  };
}

async function tableColumns(store, table) {
  if (store.dialect === 'sqlite') {
    const { rows } = await sql`select name, "notnull" as required, dflt_value as fallback from pragma_table_info(${table})`.execute(store.db);
    return rows.map((row) => ({ name: row.name, required: row.required === 1 && row.fallback === null }));
  }
  const { rows } = await sql`select column_name as name, is_nullable, column_default from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(store.db);
  return rows.map((row) => ({ name: row.name, required: row.is_nullable === 'NO' && row.column_default === null }));
}

const hasTable = async (store, table) => (await tableColumns(store, table)).length > 0;

/** The derived columns this database's incidents table has; throws on a required column nobody fills. */
async function derivedColumns(store) {
  const present = await tableColumns(store, 'incidents');
  const unknown = present.filter((c) => c.required && !INCIDENT_COLUMNS.includes(c.name) && !DERIVED_COLUMNS.some((d) => d.name === c.name));
  if (unknown.length > 0) throw new Error(`incidents has required columns the seeder does not fill: ${unknown.map((c) => c.name).join(', ')}`);
  return DERIVED_COLUMNS.filter((d) => present.some((c) => c.name === d.name));
}

/**
 * SQLite triggers on incidents that keep another table in step row by row, with the one
 * statement that does the same for every row inserted after a rowid (the search index of
 * migration 0012). Only these are dropped during the load; any other trigger stays and fires.
 */
const SQLITE_TRIGGER_FILLS = {
  incidents_search_insert: 'insert into incidents_search (incident_id, words) select id, search_text from incidents where rowid > ?',
};

/** SQLite: a second connection on the store's file, batched multi-row INSERTs. */
function sqliteWriter(store, columns) {
  const file = new SQLite(path.resolve(store.dataDir, 'alertautec.db'));
  file.pragma('busy_timeout = 5000');
  file.pragma('synchronous = OFF');
  file.pragma('cache_size = -262144');
  const BATCH = 100;
  const statements = new Map();
  let dropped = [];
  let lastRowid = 0;
  const insert = (table, columns, rows) => {
    if (rows.length === 0) return;
    const key = `${table}:${rows.length}`;
    let statement = statements.get(key);
    if (!statement) {
      const tuple = `(${columns.map(() => '?').join(',')})`;
      statement = file.prepare(`insert into ${table} (${columns.join(',')}) values ${Array(rows.length).fill(tuple).join(',')}`);
      statements.set(key, statement);
    }
    statement.run(rows.flat());
  };
  const chunked = (table, columns) => (rows) => {
    for (let i = 0; i < rows.length; i += BATCH) insert(table, columns, rows.slice(i, i + BATCH));
  };
  return {
    batch: BATCH,
    begin: async () => void file.exec('begin immediate'),
    commit: async () => void file.exec('commit'),
    users: async (rows) => {
      file.exec('begin immediate');
      chunked('users', ['id', 'tenant_id', 'email', 'name', 'password_hash', 'role', 'department_id', 'disabled', 'created_at', 'updated_at'])(rows);
      file.exec('commit');
    },
    incidents: async (rows) => chunked('incidents', columns.names)(rows),
    events: async (rows) => chunked('incident_events', EVENT_COLUMNS)(rows),
    head: async (tenantId, seq, advanceConsumers, now) => {
      file.prepare('insert into log_heads (tenant_id, seq) values (?, ?) on conflict (tenant_id) do update set seq = excluded.seq').run(tenantId, seq);
      if (advanceConsumers) file.prepare('update consumer_cursors set seq = ?, updated_at = ? where tenant_id = ?').run(seq, now, tenantId);
    },
    /** Drops the secondary indexes (and the bulk-replayable triggers) of the two big tables; `finish` puts them back as they were. */
    dropSecondary: async () => {
      dropped = file.prepare(`select type, name, sql from sqlite_master where tbl_name in ('incidents', 'incident_events') and sql is not null and (type = 'index' or (type = 'trigger' and name in (${Object.keys(SQLITE_TRIGGER_FILLS).map((n) => `'${n}'`).join(',') || "''"})))`).all();
      lastRowid = file.prepare('select coalesce(max(rowid), 0) as n from incidents').get().n;
      file.exec('begin immediate');
      for (const object of dropped) file.exec(`drop ${object.type} "${object.name}"`);
      file.exec('commit');
    },
    finish: async () => {
      // Indexes built once, by sorting, instead of updated row by row; then what the dropped triggers would have written.
      file.exec('begin immediate');
      for (const object of dropped.filter((o) => o.type === 'index')) file.exec(object.sql);
      for (const object of dropped.filter((o) => o.type === 'trigger')) {
        file.prepare(SQLITE_TRIGGER_FILLS[object.name]).run(lastRowid);
        file.exec(object.sql);
      }
      file.exec('commit');
      file.pragma('wal_checkpoint(TRUNCATE)');
      file.close();
    },
  };
}

/** PostgreSQL: INSERT … SELECT FROM unnest(arrays) through the store's own pool, in transactions. */
function postgresWriter(store, columns) {
  const BATCH = 5_000;
  let dropped = [];
  let connection = null;
  let release = null;
  const insert = async (table, columns, types, rows) => {
    if (rows.length === 0) return;
    const arrays = columns.map((_, c) => rows.map((row) => row[c]));
    const params = arrays.map((values, c) => sql`${values}::${sql.raw(types[c])}[]`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(params)})`.execute(connection);
  };
  const USER_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'int4', 'int8', 'int8'];
  const run = async (statement) => sql.raw(statement).execute(connection);
  const open = () =>
    new Promise((ready) => {
      // One connection held for the whole seeding (BEGIN … COMMIT on it).
      const held = store.db.connection().execute(
        (conn) =>
          new Promise((done) => {
            connection = conn;
            release = done;
            ready();
          }),
      );
      open.held = held;
    });
  return {
    batch: BATCH,
    begin: async () => {
      if (!connection) await open();
      await run('begin');
    },
    commit: async () => void (await run('commit')),
    users: async (rows) => {
      if (!connection) await open();
      await insert('users', ['id', 'tenant_id', 'email', 'name', 'password_hash', 'role', 'department_id', 'disabled', 'created_at', 'updated_at'], USER_TYPES, rows);
    },
    incidents: async (rows) => {
      for (let i = 0; i < rows.length; i += BATCH) await insert('incidents', columns.names, columns.types, rows.slice(i, i + BATCH));
    },
    events: async (rows) => {
      for (let i = 0; i < rows.length; i += BATCH) await insert('incident_events', EVENT_COLUMNS, EVENT_TYPES, rows.slice(i, i + BATCH));
    },
    head: async (tenantId, seq, advanceConsumers, now) => {
      await sql`insert into log_heads (tenant_id, seq) values (${tenantId}, ${seq}) on conflict (tenant_id) do update set seq = excluded.seq`.execute(connection);
      if (advanceConsumers) await sql`update consumer_cursors set seq = ${seq}, updated_at = ${now} where tenant_id = ${tenantId}`.execute(connection);
    },
    /** Drops the indexes of the two big tables that back no constraint; `finish` recreates them from their definitions. */
    dropSecondary: async () => {
      if (!connection) await open();
      const { rows } = await sql`select i.relname as name, pg_get_indexdef(i.oid) as definition
        from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
        where n.nspname = current_schema() and t.relname in ('incidents', 'incident_events')
          and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`.execute(connection);
      dropped = rows;
      await run('begin');
      for (const index of dropped) await sql`drop index ${sql.id(index.name)}`.execute(connection);
      await run('commit');
    },
    finish: async () => {
      await run("set maintenance_work_mem = '512MB'");
      for (const index of dropped) await run(index.definition);
      // What autovacuum does after a bulk insert: statistics, and the visibility map index-only scans need.
      await run('vacuum analyze incidents');
      await run('vacuum analyze incident_events');
      release();
      await open.held;
      connection = null;
    },
  };
}
