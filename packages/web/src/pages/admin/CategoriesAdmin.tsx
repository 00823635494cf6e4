import { useState } from 'react';
import { catalog as api } from '../../api/endpoints.js';
import { SimpleForm, type FieldSpec } from '../../components/SimpleForm.js';
import { Loading } from '../../components/ui.js';
import { departmentName, reloadCatalog, useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

/** Categories: what students choose from, and the department each routes to. */
export function CategoriesAdmin() {
  const { t } = useT();
  const campus = useCatalog();
  const [editing, setEditing] = useState<string | null>(null);
  const departmentOptions = campus?.departments.map((department) => ({ value: department.id, label: department.name })) ?? [];
  const editFields: FieldSpec[] = [
    { name: 'name', label: t('auth.name'), required: true },
    { name: 'departmentId', label: t('incident.department'), type: 'select', required: true, options: departmentOptions },
  ];

  return (
    <div className="stack">
      <details className="card">
        <summary>{t('admin.newCategory')}</summary>
        <SimpleForm
          fields={[{ name: 'code', label: t('admin.code'), required: true, pattern: '[a-z][a-z0-9_\\-]{1,31}', hint: t('admin.categoryCodeHint') }, ...editFields]}
          initial={{ departmentId: departmentOptions[0]?.value ?? '' }}
          submitLabel={t('admin.create')}
          onSubmit={async (values) => {
            await api.createCategory({ code: values.code ?? '', name: values.name ?? '', departmentId: values.departmentId ?? '' });
            await reloadCatalog();
            return t('admin.created', { name: values.name ?? '' });
          }}
        />
      </details>
      {!campus ? (
        <Loading />
      ) : (
        <ul className="admin-list">
          {campus.categories.map((category) => (
            <li key={category.code} className="card">
              {editing === category.code ? (
                <SimpleForm
                  fields={editFields}
                  initial={{ name: category.name, departmentId: category.departmentId }}
                  submitLabel={t('common.save')}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (values) => {
                    await api.updateCategory(category.code, { name: values.name ?? '', departmentId: values.departmentId ?? '' });
                    await reloadCatalog();
                    setEditing(null);
                    return t('admin.updated', { name: values.name ?? '' });
                  }}
                />
              ) : (
                <div className="admin-item">
                  <div>
                    <strong>{category.name}</strong> <span className="muted">({category.code})</span>
                    <p className="muted">
                      {t('admin.routesTo')} {departmentName(campus, category.departmentId)}
                    </p>
                  </div>
                  <button type="button" onClick={() => setEditing(category.code)} aria-label={t('admin.editNamed', { name: category.name })}>
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
