import { useState } from 'react';
import { jobs as api, type JobRunFilters } from '../../api/endpoints.js';
import type { JobRun, JobState } from '../../api/types.js';
import { PagedItems } from '../../components/ui.js';
import { useT } from '../../i18n/index.js';
import { useCursorList, type CursorList } from './useCursorList.js';

// The server's order (core JOB_STATES is a schema value, kept out of the bundle).
const STATES: readonly JobState[] = ['queued', 'running', 'succeeded', 'failed', 'dead'];

/** A date on the campus clock (the time zone schedules run in), whatever the browser's zone. */
export function useCampusDate(): (iso: string | null, timeZone: string | undefined) => string {
  const { locale } = useT();
  return (iso, timeZone) => (iso ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso)) : '—');
}

export function JobStateBadge({ state }: { state: JobState }) {
  const { t } = useT();
  return <span className={`badge job-${state}`}>{t(`jobs.state.${state}`)}</span>;
}

export interface JobRuns {
  filters: JobRunFilters;
  setFilters: (change: (current: JobRunFilters) => JobRunFilters) => void;
  list: CursorList<JobRun>;
}

/** The recent runs, newest first, filtered by job and state (GET /api/jobs/runs). */
export function useJobRuns(): JobRuns {
  const [filters, setFilters] = useState<JobRunFilters>({});
  const list = useCursorList((cursor) => api.runs(filters, cursor), [filters.name, filters.state]);
  return { filters, setFilters, list };
}

/** What a run has done so far: "3 of 7", or a count when the job does not know its total. */
function Progress({ run }: { run: JobRun }) {
  const { t } = useT();
  if (!run.progress || run.state !== 'running') return null;
  const { done, total } = run.progress;
  return <span className="muted"> {total === null ? t('jobs.progressCount', { done }) : t('jobs.progressOf', { done, total })}</span>;
}

/** `timeZone`: the campus's, as the schedules above show times (the browser's until it is known). */
export function JobRunsHistory({ runs, names, timeZone }: { runs: JobRuns; names: readonly string[]; timeZone: string | undefined }) {
  const { t } = useT();
  const campusDate = useCampusDate();
  const date = (iso: string | null) => campusDate(iso, timeZone);
  const { filters, setFilters, list } = runs;
  return (
    <section className="stack-sm" aria-labelledby="job-runs-title">
      <h3 id="job-runs-title">{t('jobs.history')}</h3>
      <div className="filters-row">
        <div className="field">
          <label htmlFor="job-runs-name">{t('jobs.name')}</label>
          <select id="job-runs-name" value={filters.name ?? ''} onChange={(event) => setFilters((current) => ({ ...current, name: event.target.value || undefined }))}>
            <option value="">{t('common.all')}</option>
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="job-runs-state">{t('jobs.state')}</label>
          <select id="job-runs-state" value={filters.state ?? ''} onChange={(event) => setFilters((current) => ({ ...current, state: (event.target.value || undefined) as JobState | undefined }))}>
            <option value="">{t('common.all')}</option>
            {STATES.map((state) => (
              <option key={state} value={state}>
                {t(`jobs.state.${state}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={list.reload}>
          {t('admin.refresh')}
        </button>
      </div>
      <PagedItems list={list} empty={t('jobs.noRuns')}>
        {(items) => (
          <div className="table-wrap">
            <table className="admin-table job-runs-table">
              <caption className="visually-hidden">{t('jobs.historyCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('jobs.name')}</th>
                  <th scope="col">{t('jobs.state')}</th>
                  <th scope="col">{t('jobs.startedAt')}</th>
                  <th scope="col">{t('jobs.finishedAt')}</th>
                  <th scope="col">{t('jobs.result')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((run) => (
                  <tr key={run.id} data-run-id={run.id} data-state={run.state}>
                    <th scope="row" data-label={t('jobs.name')}>
                      <code>{run.name}</code>
                    </th>
                    <td data-label={t('jobs.state')}>
                      <JobStateBadge state={run.state} />
                      <Progress run={run} />
                    </td>
                    <td data-label={t('jobs.startedAt')}>{run.startedAt ? date(run.startedAt) : <span className="muted">{t('jobs.notStarted', { at: date(run.runAt) })}</span>}</td>
                    <td data-label={t('jobs.finishedAt')}>{date(run.finishedAt)}</td>
                    <td data-label={t('jobs.result')}>
                      {run.error ? <p className="break-anywhere">{run.error}</p> : <p>{run.state === 'succeeded' ? t('jobs.resultOk') : '—'}</p>}
                      <p className="hint">{t('jobs.attempts', { n: run.attempts, max: run.maxAttempts })}</p>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </PagedItems>
    </section>
  );
}
