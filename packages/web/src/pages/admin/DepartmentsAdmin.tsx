import { DEPARTMENT_PHONE_PATTERN } from '@alertautec/core';
import { useState } from 'react';
import { catalog as api } from '../../api/endpoints.js';
import { SimpleForm, type FieldSpec, type FormValues } from '../../components/SimpleForm.js';
import { Loading } from '../../components/ui.js';
import { reloadCatalog, useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

const body = (values: FormValues) => ({ name: values.name ?? '', email: values.email || null, phone: values.phone || null });

/** Departments: who incidents are routed to, and how to reach them. */
export function DepartmentsAdmin() {
  const { t } = useT();
  const campus = useCatalog();
  const [editing, setEditing] = useState<string | null>(null);
  const fields: FieldSpec[] = [
    { name: 'name', label: t('auth.name'), required: true },
    { name: 'email', label: t('auth.email'), type: 'email' },
    { name: 'phone', label: t('admin.phone'), type: 'tel', pattern: DEPARTMENT_PHONE_PATTERN, invalidMessage: t('validation.phone') },
  ];

  return (
    <div className="stack">
      <details className="card">
        <summary>{t('admin.newDepartment')}</summary>
        <SimpleForm
          fields={fields}
          submitLabel={t('admin.create')}
          onSubmit={async (values) => {
            await api.createDepartment(body(values));
            await reloadCatalog();
            return t('admin.created', { name: values.name ?? '' });
          }}
        />
      </details>
      {!campus ? (
        <Loading />
      ) : (
        <ul className="admin-list">
          {campus.departments.map((department) => (
            <li key={department.id} className="card">
              {editing === department.id ? (
                <SimpleForm
                  fields={fields}
                  initial={{ name: department.name, email: department.email ?? '', phone: department.phone ?? '' }}
                  submitLabel={t('common.save')}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (values) => {
                    await api.updateDepartment(department.id, body(values));
                    await reloadCatalog();
                    setEditing(null);
                    return t('admin.updated', { name: values.name ?? '' });
                  }}
                />
              ) : (
                <div className="admin-item">
                  <div>
                    <strong>{department.name}</strong>
                    <p className="muted">{[department.email, department.phone].filter(Boolean).join(' · ') || t('admin.noContact')}</p>
                  </div>
                  <button type="button" onClick={() => setEditing(department.id)} aria-label={t('admin.editNamed', { name: department.name })}>
                    {t('common.edit')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
