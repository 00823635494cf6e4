import { seesDepartment, seesOwnReports, seesWholeTenant } from '@alertautec/core';
import type { Connection } from './connection.js';

/**
 * Live connections, indexed the way events find their audience: tenant-wide readers
 * (authorities and admins), staff by department, everyone by user. An event's candidate
 * connections are looked up, never scanned for.
 */
interface TenantConnections {
  tenantWide: Set<Connection>;
  byDepartment: Map<string, Set<Connection>>;
  byUser: Map<string, Set<Connection>>;
}

const addTo = <K>(map: Map<K, Set<Connection>>, key: K, connection: Connection) => {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(connection);
};
const removeFrom = <K>(map: Map<K, Set<Connection>>, key: K, connection: Connection) => {
  const set = map.get(key);
  if (set?.delete(connection) && set.size === 0) map.delete(key);
};

export class ConnectionRegistry {
  private readonly tenants = new Map<string, TenantConnections>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  private tenant(tenantId: string): TenantConnections {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) this.tenants.set(tenantId, (tenant = { tenantWide: new Set(), byDepartment: new Map(), byUser: new Map() }));
    return tenant;
  }

  add(connection: Connection): void {
    const { actor } = connection;
    const tenant = this.tenant(actor.tenantId);
    addTo(tenant.byUser, actor.userId, connection);
    if (seesWholeTenant(actor)) tenant.tenantWide.add(connection);
    else if (seesDepartment(actor) && actor.departmentId) addTo(tenant.byDepartment, actor.departmentId, connection);
    this.count += 1;
  }

  remove(connection: Connection): void {
    const { actor } = connection;
    const tenant = this.tenants.get(actor.tenantId);
    if (!tenant?.byUser.get(actor.userId)?.has(connection)) return;
    removeFrom(tenant.byUser, actor.userId, connection);
    tenant.tenantWide.delete(connection);
    if (actor.departmentId) removeFrom(tenant.byDepartment, actor.departmentId, connection);
    this.count -= 1;
  }

  countForUser(tenantId: string, userId: string): number {
    return this.tenants.get(tenantId)?.byUser.get(userId)?.size ?? 0;
  }

  /** The open connections of one person. */
  forUser(tenantId: string, userId: string): Connection[] {
    return [...(this.tenants.get(tenantId)?.byUser.get(userId) ?? [])];
  }

  /** Connections that may see an incident of this department reported (or followed) by these users. */
  *forIncident(tenantId: string, departmentIds: readonly (string | null)[], reporterIds: readonly string[]): Iterable<Connection> {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) return;
    yield* tenant.tenantWide;
    const seen = new Set<string>();
    for (const departmentId of departmentIds) {
      if (departmentId === null || seen.has(departmentId)) continue;
      seen.add(departmentId);
      const staff = tenant.byDepartment.get(departmentId);
      if (staff) yield* staff;
    }
    for (const reporterId of new Set(reporterIds)) {
      for (const connection of tenant.byUser.get(reporterId) ?? []) {
        if (seesOwnReports(connection.actor)) yield connection;
      }
    }
  }

  /** Every connection of a tenant (for published events). */
  *inTenant(tenantId: string): Iterable<Connection> {
    for (const set of this.tenants.get(tenantId)?.byUser.values() ?? []) yield* set;
  }

  /** Every connection (for keep-alive). */
  *all(): Iterable<Connection> {
    for (const tenantId of this.tenants.keys()) yield* this.inTenant(tenantId);
  }
}
