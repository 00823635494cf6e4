import { ROLES, roleMayHaveDepartment, roleNeedsDepartment } from '@alertautec/core';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { admin } from '../../api/endpoints.js';
import type { ManagedUser, Role } from '../../api/types.js';
import { ErrorNotice } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';

/**
 * A user's role and department, changed together in one request (PATCH /api/users/:id
 * `{role, departmentId}`): moving a student to staff picks the department in the same
 * step. The core's rules shape the form: staff must choose a department, students have
 * none (the field goes away), authorities and admins may have one.
 */
export function UserAccessForm({ user, onSaved, onCancel }: { user: ManagedUser; onSaved: (updated: ManagedUser) => void; onCancel: () => void }) {
  const { t } = useT();
  const campus = useCatalog();
  const id = useId();
  const [role, setRole] = useState<Role>(user.role);
  const [departmentId, setDepartmentId] = useState(user.departmentId ?? '');
  const [missingDepartment, setMissingDepartment] = useState(false);
  const roleField = useRef<HTMLSelectElement>(null);
  const departmentField = useRef<HTMLSelectElement>(null);
  const save = useAction(async () => {
    const updated = await admin.updateUser(user.id, { role, departmentId: roleMayHaveDepartment(role) ? departmentId || null : null });
    onSaved(updated);
  });
  useEffect(() => roleField.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (roleNeedsDepartment(role) && !departmentId) {
      setMissingDepartment(true);
      departmentField.current?.focus();
      return;
    }
    void save.run();
  };
  const hint = roleNeedsDepartment(role) ? t('admin.departmentRequiredHint') : null;

  return (
    <form className="access-form" aria-label={t('admin.editAccessTitle', { name: user.name })} onSubmit={submit} noValidate>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('admin.role')}</label>
          <select ref={roleField} id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((option) => (
              <option key={option} value={option}>
                {t(`role.${option}`)}
              </option>
            ))}
          </select>
        </div>
        {roleMayHaveDepartment(role) ? (
          <div className="field">
            <label htmlFor={`${id}-department`}>
              {t('incident.department')}
              {!roleNeedsDepartment(role) && <span className="muted"> ({t('common.optional')})</span>}
            </label>
            <select
              ref={departmentField}
              id={`${id}-department`}
              required={roleNeedsDepartment(role)}
              aria-invalid={missingDepartment || undefined}
              aria-describedby={[hint && `${id}-hint`, missingDepartment && `${id}-error`].filter(Boolean).join(' ') || undefined}
              value={departmentId}
              onChange={(event) => {
                setDepartmentId(event.target.value);
                setMissingDepartment(false);
              }}
            >
              <option value="">{t('admin.noDepartment')}</option>
              {campus?.departments.map((department) => (
                <option key={department.id} value={department.id}>
                  {department.name}
                </option>
              ))}
            </select>
            {hint && (
              <p id={`${id}-hint`} className="hint">
                {hint}
              </p>
            )}
            {missingDepartment && (
              <p id={`${id}-error`} className="field-error">
                {t('error.department_required')}
              </p>
            )}
          </div>
        ) : (
          <p className="hint access-form-note">{t('admin.departmentNoneHint')}</p>
        )}
      </div>
      <ErrorNotice error={save.error} />
      <div className="button-row">
        <button type="submit" className="button-primary" disabled={save.busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
