import { useState } from 'react';
import { catalog as api } from '../../api/endpoints.js';
import type { CampusLocation } from '../../api/types.js';
import { confirmSaved } from '../../components/SavedStatus.js';
import { SimpleForm, type FieldSpec, type FormValues } from '../../components/SimpleForm.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { reloadCatalog, useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';

const coordinate = (value: string | undefined) => (value && value.trim() !== '' ? Number(value) : null);
const body = (values: FormValues) => ({
  name: values.name ?? '',
  building: values.building ?? '',
  floor: values.floor ?? '',
  lat: coordinate(values.lat),
  lng: coordinate(values.lng),
});
const initialOf = (location: CampusLocation): FormValues => ({
  name: location.name,
  building: location.building,
  floor: location.floor,
  lat: location.lat?.toString() ?? '',
  lng: location.lng?.toString() ?? '',
});

/** Campus locations: the places students pick from. */
export function LocationsAdmin() {
  const { t } = useT();
  const campus = useCatalog();
  const [editing, setEditing] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<unknown>(null);
  const fields: FieldSpec[] = [
    { name: 'name', label: t('auth.name'), required: true },
    { name: 'building', label: t('admin.building'), required: true },
    { name: 'floor', label: t('admin.floor'), required: true },
    { name: 'lat', label: t('admin.lat'), type: 'number', step: 'any' },
    { name: 'lng', label: t('admin.lng'), type: 'number', step: 'any' },
  ];
  const shown = campus?.locations.filter((location) => `${location.code} ${location.name}`.toLowerCase().includes(filter.trim().toLowerCase())) ?? [];

  const remove = async (location: CampusLocation) => {
    if (!window.confirm(t('admin.confirmDelete', { name: location.name }))) return;
    setError(null);
    try {
      await api.deleteLocation(location.code);
      await reloadCatalog();
      confirmSaved(t('admin.deleted', { name: location.name }));
    } catch (reason) {
      setError(reason);
    }
  };

  return (
    <div className="stack">
      <details className="card">
        <summary>{t('admin.newLocation')}</summary>
        <SimpleForm
          fields={[{ name: 'code', label: t('admin.code'), required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,31}' }, ...fields]}
          submitLabel={t('admin.create')}
          onSubmit={async (values) => {
            await api.createLocation({ code: values.code ?? '', ...body(values) } as CampusLocation);
            await reloadCatalog();
            return t('admin.created', { name: values.name ?? '' });
          }}
        />
      </details>
      <div className="field">
        <label htmlFor="location-filter">{t('admin.filterLocations')}</label>
        <input id="location-filter" type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
      </div>
      <ErrorNotice error={error} />
      {!campus ? (
        <Loading />
      ) : (
        <ul className="admin-list">
          {shown.map((location) => (
            <li key={location.code} className="card">
              {editing === location.code ? (
                <SimpleForm
                  fields={fields}
                  initial={initialOf(location)}
                  submitLabel={t('common.save')}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (values) => {
                    await api.updateLocation(location.code, body(values) as Partial<CampusLocation>);
                    await reloadCatalog();
                    setEditing(null);
                    return t('admin.updated', { name: values.name ?? '' });
                  }}
                />
              ) : (
                <div className="admin-item">
                  <div>
                    <strong>{location.name}</strong> <span className="muted">({location.code})</span>
                    <p className="muted">
                      {location.building} · {t('admin.floor')} {location.floor}
                    </p>
                  </div>
                  <div className="button-row">
                    <button type="button" onClick={() => setEditing(location.code)} aria-label={t('admin.editNamed', { name: location.name })}>
                      {t('common.edit')}
                    </button>
                    <button type="button" className="button-danger" onClick={() => void remove(location)} aria-label={t('admin.deleteNamed', { name: location.name })}>
                      {t('common.delete')}
                    </button>
                  </div>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
