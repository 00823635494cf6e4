import { useEffect, useRef } from 'react';
import { jobs as api } from '../../api/endpoints.js';
import type { Job, JobRun, JobState } from '../../api/types.js';
import { ErrorNotice, Loading } from '../../components/ui.js';
import { useLoad } from '../../hooks.js';
import { useT } from '../../i18n/index.js';
import { ActionFeedback, useConfirmedAction } from './AdminFeedback.js';
import { JobRunsHistory, JobStateBadge, useCampusDate, useJobRuns } from './JobRunsHistory.js';

const FINISHED: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'dead']);
const POLL_MS = 1000;
const POLL_LIMIT = 120;

/** Background jobs: their schedules, next and last runs, a run on demand, and the recent runs. */
export function JobsAdmin() {
  const { t } = useT();
  const campusDate = useCampusDate();
  const list = useLoad(() => api.list().then((page) => page.items), []);
  const runs = useJobRuns();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => void (mounted.current = false);
  }, []);

  // Enqueues a run, shows it on top of the history, then follows it there until it ends (the
  // runner picks it up within a second or so). Job runs have no realtime event: this polls.
  const runNow = useConfirmedAction(async (job: Job) => {
    const { id } = await api.run(job.name);
    list.reload();
    runs.list.reload();
    let run: JobRun | null = null;
    for (let attempt = 0; attempt < POLL_LIMIT && mounted.current; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const latest = await api.runById(id);
      run = latest;
      runs.list.update((item) => item.id === id, () => latest);
      if (FINISHED.has(latest.state)) break;
    }
    if (mounted.current) list.reload();
    if (!run || !FINISHED.has(run.state)) return t('jobs.queued', { name: job.name });
    return t('jobs.finished', { name: job.name, state: t(`jobs.state.${run.state}`) }) + (run.error ? ` ${run.error}` : '');
  });

  return (
    <div className="stack">
      <div className="admin-item">
        <p className="muted">{t('jobs.lead')}</p>
        <button
          type="button"
          onClick={() => {
            list.reload();
            runs.list.reload();
          }}
        >
          {t('admin.refresh')}
        </button>
      </div>
      <ActionFeedback action={runNow} />
      <ErrorNotice error={list.error} />
      {runNow.busy && (
        <p className="muted" role="status">
          {t('jobs.running')}
        </p>
      )}
      {!list.data ? (
        list.error ? null : <Loading />
      ) : (
        <div className="table-wrap">
          <table className="admin-table">
            <caption className="visually-hidden">{t('jobs.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('jobs.name')}</th>
                <th scope="col">{t('jobs.schedule')}</th>
                <th scope="col">{t('jobs.nextRun')}</th>
                <th scope="col">{t('jobs.lastRun')}</th>
                <th scope="col">{t('outbox.action')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((job) => (
                <tr key={job.name}>
                  <th scope="row" data-label={t('jobs.name')}>
                    <code>{job.name}</code>
                  </th>
                  <td data-label={t('jobs.schedule')}>
                    {job.schedule ? (
                      <>
                        <code>{job.schedule}</code> <span className="muted">({job.timeZone})</span>
                      </>
                    ) : (
                      <span className="muted">{t('jobs.onDemand')}</span>
                    )}
                  </td>
                  <td data-label={t('jobs.nextRun')}>{campusDate(job.nextRunAt, job.timeZone)}</td>
                  <td data-label={t('jobs.lastRun')}>
                    {job.lastRun ? (
                      <>
                        <JobStateBadge state={job.lastRun.state} />{' '}
                        <span className="muted">{campusDate(job.lastRun.finishedAt ?? job.lastRun.startedAt ?? job.lastRun.runAt, job.timeZone)}</span>
                        {job.lastRun.error && <p className="hint break-anywhere">{job.lastRun.error}</p>}
                      </>
                    ) : (
                      <span className="muted">{t('jobs.never')}</span>
                    )}
                  </td>
                  <td data-label={t('outbox.action')}>
                    {job.onDemand ? (
                      <button type="button" disabled={runNow.busy} onClick={() => void runNow.run(job)} aria-label={t('jobs.runNamed', { name: job.name })}>
                        {t('jobs.run')}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <JobRunsHistory runs={runs} names={list.data?.map((job) => job.name) ?? []} timeZone={list.data?.[0]?.timeZone} />
    </div>
  );
}
