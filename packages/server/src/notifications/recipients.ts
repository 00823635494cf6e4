import type { Language, Person, RecipientSelector, Resolved, Role } from '@alertautec/core';
import { departmentsRepository } from '../catalog/repository.js';
import type { Db } from '../store/executor.js';
import type { UsersTable } from '../store/schema.js';
import { fromPreferencesRow, preferencesRepository } from './preferences-repository.js';

/**
 * Turns the rules' recipient groups into people and contact addresses, reading only what an
 * event needs and each group once per batch. Disabled accounts are not in any group; a
 * reporter named by id is kept even when disabled, so the skip is recorded with its reason.
 */
export function recipientLookups(db: Db, tenantId: string) {
  const cache = new Map<string, Promise<Resolved>>();

  const people = async (rows: readonly UsersTable[]): Promise<Person[]> => {
    const preferences = await preferencesRepository.forUsers(db, tenantId, rows.map((row) => row.id));
    return rows.map((row) => {
      const prefs = fromPreferencesRow(preferences.get(row.id));
      return { id: row.id, role: row.role as Role, email: row.email, phone: prefs.phone, language: prefs.language as Language };
    });
  };
  const users = () => db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId);
  const active = () => users().where('disabled', '=', 0);

  const load = async (selector: RecipientSelector): Promise<Resolved> => {
    switch (selector.group) {
      case 'authorities':
        return { people: await people(await active().where('role', '=', 'authority').orderBy('id').execute()) };
      case 'role':
        return { people: await people(await active().where('role', '=', selector.role).orderBy('id').execute()) };
      case 'department_staff':
        return { people: await people(await active().where('role', '=', 'staff').where('department_id', '=', selector.departmentId).orderBy('id').execute()) };
      case 'user':
        return { people: await people(await users().where('id', '=', selector.userId).execute()) };
      case 'followers': {
        const rows = await active()
          .where('id', 'in', (eb) => eb.selectFrom('incident_followers').select('user_id').where('tenant_id', '=', tenantId).where('incident_id', '=', selector.incidentId))
          .orderBy('id')
          .execute();
        return { people: await people(rows) };
      }
      case 'users':
        return { people: selector.userIds.length === 0 ? [] : await people(await active().where('id', 'in', selector.userIds).orderBy('id').execute()) };
      case 'department_contact': {
        const department = await departmentsRepository.findById(db, tenantId, selector.departmentId);
        return { contact: { id: selector.departmentId, email: department?.email ?? null, phone: department?.phone ?? null } };
      }
      case 'topic':
        return { topic: true };
    }
  };

  return {
    /** Loads every selector (once each); afterwards `get` answers synchronously. */
    async prepare(selectors: readonly RecipientSelector[]): Promise<(selector: RecipientSelector) => Resolved> {
      const results = new Map<string, Resolved>();
      for (const selector of selectors) {
        const key = JSON.stringify(selector);
        let pending = cache.get(key);
        if (!pending) cache.set(key, (pending = load(selector)));
        results.set(key, await pending);
      }
      return (selector) => results.get(JSON.stringify(selector)) ?? { people: [] };
    },
  };
}
