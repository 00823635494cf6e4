import { ROLES } from '@alertautec/core';
import { Fragment, useState } from 'react';
import { admin } from '../../api/endpoints.js';
import type { ManagedUser, Role } from '../../api/types.js';
import { clearSaved, confirmSaved } from '../../components/SavedStatus.js';
import { SimpleForm } from '../../components/SimpleForm.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { useLoad, useSession } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { UserAccessForm } from './UserAccessForm.js';

const COLUMNS = 6;

/**
 * Users: create accounts, change role and department together (one form per user),
 * disable or enable, lift sign-in locks. Every change confirms itself in the section's
 * saved status; a refusal (the server's problem code) shows in the user's language.
 */
export function UsersAdmin() {
  const { t, date } = useT();
  const campus = useCatalog();
  const session = useSession();
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
  const [editing, setEditing] = useState<string | null>(null);
  const departments = [{ value: '', label: t('admin.noDepartment') }, ...(campus?.departments.map((department) => ({ value: department.id, label: department.name })) ?? [])];
  const roles = ROLES.map((role) => ({ value: role, label: t(`role.${role}`) }));
  const replace = (updated: ManagedUser) => users.setData((current) => current?.map((row) => (row.id === updated.id ? updated : row)));
  const editButtonId = (user: ManagedUser) => `edit-access-${user.id}`;

  const setActive = async (user: ManagedUser, active: boolean) => {
    setRowError(null);
    clearSaved();
    try {
      const updated = await admin.updateUser(user.id, { disabled: !active });
      replace(updated);
      confirmSaved(t(active ? 'admin.userEnabled' : 'admin.userDisabled', { name: updated.name }));
    } catch (reason) {
      setRowError(reason);
    }
  };

  const unlockLogin = async (user: ManagedUser) => {
    setRowError(null);
    clearSaved();
    try {
      await admin.unlockLogin(user.id);
      users.setData((current) => current?.map((row) => (row.id === user.id ? { ...row, loginLockedUntil: null } : row)));
      confirmSaved(t('admin.loginUnlocked', { name: user.name }));
    } catch (reason) {
      setRowError(reason);
    }
  };

  const closeEditor = (user: ManagedUser) => {
    setEditing(null);
    // Back to the button that opened the form, once it is in the page again.
    window.requestAnimationFrame(() => document.getElementById(editButtonId(user))?.focus());
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
            return t('admin.userCreated', { name: created.name });
          }}
        />
      </details>
      <ErrorNotice error={users.error ?? rowError} />
      {!users.data ? (
        <Loading />
      ) : (
        <div className="table-wrap">
          <table className="admin-table users-table">
            <thead>
              <tr>
                <th scope="col">{t('auth.name')}</th>
                <th scope="col">{t('auth.email')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('incident.department')}</th>
                <th scope="col">{t('admin.active')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <Fragment key={user.id}>
                  <tr className={user.disabled ? 'is-disabled' : undefined}>
                    <th scope="row" data-label={t('auth.name')}>
                      {user.name}
                      {user.id === session?.user.id && <span className="muted"> {t('admin.you')}</span>}
                    </th>
                    <td data-label={t('auth.email')}>{user.email}</td>
                    <td data-label={t('admin.role')}>{t(`role.${user.role}`)}</td>
                    <td data-label={t('incident.department')}>{user.departmentId && campus ? departmentName(campus, user.departmentId) : t('admin.noDepartment')}</td>
                    <td data-label={t('admin.active')}>
                      <label className="checkbox">
                        <input type="checkbox" checked={!user.disabled} onChange={(event) => void setActive(user, event.target.checked)} />
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
                    <td data-label={t('admin.actions')}>
                      <button
                        type="button"
                        id={editButtonId(user)}
                        aria-expanded={editing === user.id}
                        aria-label={t('admin.editAccessOf', { name: user.name })}
                        onClick={() => {
                          clearSaved();
                          setRowError(null);
                          setEditing(editing === user.id ? null : user.id);
                        }}
                      >
                        {t('admin.editAccess')}
                      </button>
                    </td>
                  </tr>
                  {editing === user.id && (
                    <tr className="access-editor-row">
                      <td colSpan={COLUMNS} className="access-editor-cell">
                        <UserAccessForm
                          user={user}
                          onCancel={() => closeEditor(user)}
                          onSaved={(updated) => {
                            replace(updated);
                            closeEditor(updated);
                            confirmSaved(t('admin.userSaved', { name: updated.name }));
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
