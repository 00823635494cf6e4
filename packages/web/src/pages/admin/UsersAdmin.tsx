import { ROLES } from '@alertautec/core';
import { useState } from 'react';
import { admin } from '../../api/endpoints.js';
import type { ManagedUser, Role } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { SimpleForm } from '../../components/SimpleForm.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

/** Users: create accounts, change role or department, disable or enable, lift sign-in locks. */
export function UsersAdmin() {
  const { t, date } = useT();
  const campus = useCatalog();
  const users = useLoad(async () => {
    const all: ManagedUser[] = [];
    let cursor: string | null = null;
    do {
      const page = await admin.users(cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }, []);
  const [rowError, setRowError] = useState<unknown>(null);
  const departments = [{ value: '', label: t('admin.noDepartment') }, ...(campus?.departments.map((department) => ({ value: department.id, label: department.name })) ?? [])];
  const roles = ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }));

  const patch = async (user: ManagedUser, change: Partial<Pick<ManagedUser, 'role' | 'departmentId' | 'disabled'>>) => {
    setRowError(null);
    try {
      const updated = await admin.updateUser(user.id, change);
      users.setData((current) => current?.map((row) => (row.id === updated.id ? updated : row)));
      announce(t('admin.userSaved', { name: updated.name }));
    } catch (reason) {
      setRowError(reason);
    }
  };

  const unlockLogin = async (user: ManagedUser) => {
    setRowError(null);
    try {
      await admin.unlockLogin(user.id);
      users.setData((current) => current?.map((row) => (row.id === user.id ? { ...row, loginLockedUntil: null } : row)));
      announce(t('admin.loginUnlocked', { name: user.name }));
    } catch (reason) {
      setRowError(reason);
    }
  };

  return (
    <div className="stack">
      <details className="card">
        <summary>{t('admin.newUser')}</summary>
        <SimpleForm
          fields={[
            { name: 'name', label: t('auth.name'), required: true },
            { name: 'email', label: t('auth.email'), type: 'email', required: true },
            { name: 'password', label: t('auth.password'), type: 'password', required: true, minLength: 10, hint: t('auth.password.hint', { n: 10 }) },
            { name: 'role', label: t('admin.role'), type: 'select', required: true, options: roles },
            { name: 'departmentId', label: t('incident.department'), type: 'select', options: departments, hint: t('admin.departmentHint') },
          ]}
          initial={{ role: 'student', departmentId: '' }}
          submitLabel={t('admin.create')}
          onSubmit={async (values) => {
            const created = await admin.createUser({
              name: values.name ?? '',
              email: values.email ?? '',
              password: values.password ?? '',
              role: (values.role ?? 'student') as Role,
              departmentId: values.departmentId || null,
            });
            users.setData((current) => [...(current ?? []), created]);
          }}
        />
      </details>
      <ErrorNotice error={users.error ?? rowError} />
      {!users.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('auth.name')}</th>
                <th scope="col">{t('auth.email')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('incident.department')}</th>
                <th scope="col">{t('admin.active')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id} className={user.disabled ? 'is-disabled' : undefined}>
                  <th scope="row" data-label={t('auth.name')}>
                    {user.name}
                  </th>
                  <td data-label={t('auth.email')}>{user.email}</td>
                  <td data-label={t('admin.role')}>
                    <select aria-label={t('admin.roleOf', { name: user.name })} value={user.role} onChange={(event) => void patch(user, { role: event.target.value as Role })}>
                      {roles.map((role) => (
                        <option key={role.value} value={role.value}>
                          {role.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-label={t('incident.department')}>
                    <select
                      aria-label={t('admin.departmentOf', { name: user.name })}
                      value={user.departmentId ?? ''}
                      onChange={(event) => void patch(user, { departmentId: event.target.value || null })}
                    >
                      {departments.map((department) => (
                        <option key={department.value} value={department.value}>
                          {department.label}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td data-label={t('admin.active')}>
                    <label className="checkbox">
                      <input type="checkbox" checked={!user.disabled} onChange={(event) => void patch(user, { disabled: !event.target.checked })} />
                      <span className="visually-hidden">{t('admin.activeOf', { name: user.name })}</span>
                      <span aria-hidden="true">{user.disabled ? t('admin.disabled') : t('admin.enabled')}</span>
                    </label>
                    {user.loginLockedUntil && (
                      <p className="hint">
                        {t('admin.loginLockedUntil', { when: date(user.loginLockedUntil) })}{' '}
                        <button type="button" aria-label={t('admin.unlockLoginOf', { name: user.name })} onClick={() => void unlockLogin(user)}>
                          {t('admin.unlockLogin')}
                        </button>
                      </p>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
