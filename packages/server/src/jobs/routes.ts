import { IdParams, JobEnqueued, JobList, JobNameParams, JobRun, JobRunPage, JobRunsQuery } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { JobsService } from './service.js';

const tags = ['jobs'];
const security = [{ bearer: [] }];

export function jobsRoutes(app: App, jobs: JobsService) {
  app.get(
    '/api/jobs',
    { schema: { tags, security, summary: 'Every background job with its schedule, next run and last run (admin)', response: { 200: JobList, ...problems(401, 403) } } },
    async (request) => jobs.list(actorOf(request)),
  );

  app.get(
    '/api/jobs/runs',
    {
      schema: {
        tags,
        security,
        summary: 'Runs of background jobs, newest first (admin)',
        querystring: JobRunsQuery,
        response: { 200: JobRunPage, ...problems(401, 403) },
      },
    },
    async (request) => jobs.runs(actorOf(request), request.query),
  );

  app.get(
    '/api/jobs/runs/:id',
    { schema: { tags, security, summary: 'One run of a background job (admin)', params: IdParams, response: { 200: JobRun, ...problems(401, 403, 404) } } },
    async (request) => jobs.runById(actorOf(request), request.params.id),
  );

  app.post(
    '/api/jobs/:name/run',
    {
      schema: {
        tags,
        security,
        summary: 'Run a job now (admin); a worker picks it up',
        params: JobNameParams,
        response: { 202: JobEnqueued, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(202).send(await jobs.run(actorOf(request), request.params.name)),
  );
}
