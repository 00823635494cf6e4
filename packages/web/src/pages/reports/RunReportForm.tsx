import { useId, useState, type FormEvent } from 'react';
import { reports as api } from '../../api/endpoints.js';
import type { NewReport } from '../../api/types.js';
import { departmentName, useCatalog } from '../../catalog.js';
import { ErrorNotice } from '../../components/ui.js';
import { useAction } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import type { ReportReach } from './report-access.js';
import { DepartmentOptions } from '../../components/DepartmentOptions.js';

type Reach = Exclude<ReportReach, { kind: 'none' }>;

/** A campus day chosen in a date field, as the instant it starts (the browser's clock). */
const dayStart = (day: string): Date => new Date(`${day}T00:00:00`);

/**
 * The period from two optional days, both included: `from` is the first day's start and
 * `to` the start of the day after the last (the API's period is `[from, to)`).
 */
export function periodOf(fromDay: string, toDay: string): Pick<NewReport, 'from' | 'to'> {
  const period: Pick<NewReport, 'from' | 'to'> = {};
  if (fromDay) period.from = dayStart(fromDay).toISOString();
  if (toDay) {
    const end = dayStart(toDay);
    end.setDate(end.getDate() + 1);
    period.to = end.toISOString();
  }
  return period;
}

/**
 * "Run a report now": admins and authorities choose global or a department (any); staff
 * get their own department's, with nothing to choose but the period.
 */
export function RunReportForm({ reach, onCreated }: { reach: Reach; onCreated: (id: string, request: NewReport) => Promise<void> }) {
  const { t } = useT();
  const prefix = useId();
  const campus = useCatalog();
  const [kind, setKind] = useState<NewReport['kind']>(reach.kind === 'all' ? 'global' : 'department');
  const [departmentId, setDepartmentId] = useState('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const create = useAction(async () => {
    const request: NewReport = { kind, ...periodOf(fromDay, toDay) };
    if (kind === 'department') request.departmentId = reach.kind === 'department' ? reach.departmentId : departmentId;
    const { id } = await api.create(request);
    await onCreated(id, request);
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };

  return (
    <form className="card stack-sm" onSubmit={submit} aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{t('reports.runTitle')}</h2>
      <div className="form-grid">
        {reach.kind === 'all' ? (
          <div className="field">
            <label htmlFor={`${prefix}-kind`}>{t('reports.kind')}</label>
            <select id={`${prefix}-kind`} value={kind} onChange={(event) => setKind(event.target.value as NewReport['kind'])}>
              <option value="global">{t('reports.kind.global')}</option>
              <option value="department">{t('reports.kind.department')}</option>
            </select>
          </div>
        ) : (
          <p className="field">
            <span className="field-label">{t('reports.department')}</span>
            <span>{departmentName(campus, reach.departmentId)}</span>
          </p>
        )}
        {reach.kind === 'all' && kind === 'department' && (
          <div className="field">
            <label htmlFor={`${prefix}-department`}>{t('reports.department')}</label>
            <select id={`${prefix}-department`} value={departmentId} required onChange={(event) => setDepartmentId(event.target.value)}>
              <option value="">{t('reports.chooseDepartment')}</option>
              <DepartmentOptions campus={campus} />
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${prefix}-from`}>{t('reports.from')}</label>
          <input id={`${prefix}-from`} type="date" value={fromDay} onChange={(event) => setFromDay(event.target.value)} aria-describedby={`${prefix}-period-hint`} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-to`}>{t('reports.to')}</label>
          <input id={`${prefix}-to`} type="date" value={toDay} onChange={(event) => setToDay(event.target.value)} aria-describedby={`${prefix}-period-hint`} />
        </div>
      </div>
      <p id={`${prefix}-period-hint`} className="hint">
        {t('reports.periodHint')}
      </p>
      <ErrorNotice error={create.error} />
      <div>
        <button type="submit" className="button-primary" disabled={create.busy}>
          {create.busy ? t('reports.creating') : t('reports.run')}
        </button>
      </div>
    </form>
  );
}
