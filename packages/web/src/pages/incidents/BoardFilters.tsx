import { INCIDENT_SORTS, STATUSES, URGENCIES, type IncidentSort } from '@alertautec/core';
import { useState } from 'react';
import type { Status, Urgency } from '../../api/types.js';
import { useCatalog } from '../../catalog.js';
import { useT } from '../../i18n/index.js';
import { DepartmentOptions } from '../../components/DepartmentOptions.js';

/** The server's orders (CONTRACT §3 `sort`): the board asks for one and pages through it. */
export const SORTS = INCIDENT_SORTS;
export type Sort = IncidentSort;

/** The board's view: filters and the order, all applied by the server. */
export interface BoardView {
  status: Status | 'open' | '';
  urgency: Urgency | '';
  category: string;
  departmentId: string;
  q: string;
  sort: Sort;
}

export function readView(query: URLSearchParams): BoardView {
  const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  return {
    status: pick(query.get('status'), ['', 'open', ...STATUSES], 'open'),
    urgency: pick(query.get('urgency'), ['', ...URGENCIES], ''),
    category: query.get('category') ?? '',
    departmentId: query.get('departmentId') ?? '',
    q: query.get('q') ?? '',
    sort: pick(query.get('sort'), SORTS, 'newest'),
  };
}

export function writeView(view: BoardView): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(view)) if (value) query.set(key, value);
  return query.toString();
}

export function BoardFilters({ view, onChange, showDepartment }: { view: BoardView; onChange: (view: BoardView) => void; showDepartment: boolean }) {
  const { t, tOr } = useT();
  const campus = useCatalog();
  const set = <K extends keyof BoardView>(key: K, value: BoardView[K]) => onChange({ ...view, [key]: value });
  // On a phone the filters past the search stay folded behind "Filtros" (CSS shows them all on wider screens).
  const [expanded, setExpanded] = useState(false);
  const active = [view.status !== 'open', view.urgency, view.category, view.departmentId, view.sort !== 'newest'].filter(Boolean).length;

  return (
    <form className={`filters card${expanded ? '' : ' is-collapsed'}`} role="search" aria-label={t('board.filters')} onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-q">{t('board.search')}</label>
        <input id="filter-q" type="search" value={view.q} onChange={(event) => set('q', event.target.value)} />
      </div>
      <button type="button" className="filters-toggle" aria-expanded={expanded} aria-controls="board-filter-fields" onClick={() => setExpanded(!expanded)}>
        {t('board.showFilters')} <span className="filters-toggle-count">({t('board.activeFilters', { n: active })})</span>
      </button>
      <div id="board-filter-fields" className="filter-fields">
        <div className="field">
          <label htmlFor="filter-status">{t('incident.status')}</label>
          <select id="filter-status" value={view.status} onChange={(event) => set('status', event.target.value as BoardView['status'])}>
            <option value="open">{t('board.openOnly')}</option>
            <option value="">{t('common.all')}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-urgency">{t('incident.urgency')}</label>
          <select id="filter-urgency" value={view.urgency} onChange={(event) => set('urgency', event.target.value as BoardView['urgency'])}>
            <option value="">{t('common.all')}</option>
            {URGENCIES.map((urgency) => (
              <option key={urgency} value={urgency}>
                {t(`urgency.${urgency}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-category">{t('incident.category')}</label>
          <select id="filter-category" value={view.category} onChange={(event) => set('category', event.target.value)}>
            <option value="">{t('common.all')}</option>
            {campus?.categories.map((category) => (
              <option key={category.code} value={category.code}>
                {tOr(`category.${category.code}`, category.name)}
              </option>
            ))}
          </select>
        </div>
        {showDepartment && (
          <div className="field">
            <label htmlFor="filter-department">{t('incident.department')}</label>
            <select id="filter-department" value={view.departmentId} onChange={(event) => set('departmentId', event.target.value)}>
              <option value="">{t('common.all')}</option>
              <DepartmentOptions campus={campus} />
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="filter-sort">{t('board.sort')}</label>
          <select id="filter-sort" value={view.sort} onChange={(event) => set('sort', event.target.value as Sort)}>
            {SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(`board.sort.${sort}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
    </form>
  );
}
