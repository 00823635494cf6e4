import { useId, useState } from 'react';
import { incidents as api } from '../../api/endpoints.js';
import type { Incident } from '../../api/types.js';
import { announce } from '../../announcer.js';
import { ErrorNotice } from '../../components/ui.js';
import { useCatalog } from '../../catalog.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { DepartmentOptions } from '../../components/DepartmentOptions.js';

/** Admin only: route the incident to another department. */
export function DepartmentAssign({ incident, onChanged }: { incident: Incident; onChanged: (incident: Incident) => void }) {
  const { t } = useT();
  const campus = useCatalog();
  const selectId = useId();
  const [departmentId, setDepartmentId] = useState(incident.departmentId ?? '');
  const { run: assign, busy, error } = useAction(async () => {
    const updated = await api.assign(incident.id, departmentId);
    onChanged(updated);
    announce(t('assign.done', { department: campus?.departments.find((department) => department.id === departmentId)?.name ?? '' }));
  });

  return (
    <div className="stack-sm">
      <div className="field">
        <label htmlFor={selectId}>{t('assign.label')}</label>
        <select id={selectId} value={departmentId} onChange={(event) => setDepartmentId(event.target.value)}>
          <option value="" disabled>
            {t('assign.choose')}
          </option>
          <DepartmentOptions campus={campus} />
        </select>
      </div>
      <ErrorNotice error={error} />
      <div className="button-row">
        <button type="button" disabled={busy || !departmentId || departmentId === incident.departmentId} onClick={() => void assign()}>
          {t('assign.submit')}
        </button>
      </div>
    </div>
  );
}
