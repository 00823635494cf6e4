import { IdParams, NewReport, Report, ReportAccepted, ReportPage, ReportsQuery } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { ReportsService } from './service.js';

const tags = ['reports'];
const security = [{ bearer: [] }];

/** Thin handlers: the service decides who sees what (docs/reports.md). */
export function reportsRoutes(app: App, reports: ReportsService) {
  app.post(
    '/api/reports',
    {
      schema: {
        tags,
        security,
        summary: 'Create a report now (admin, authority; staff: their own department); a worker writes it',
        body: NewReport,
        response: { 202: ReportAccepted, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const created = await reports.create(actorOf(request), request.body);
      return reply.code(202).send({ id: created.id, status: created.status });
    },
  );

  app.get(
    '/api/reports',
    { schema: { tags, security, summary: 'Reports the caller may see, newest first', querystring: ReportsQuery, response: { 200: ReportPage, ...problems(401, 403) } } },
    async (request) => reports.list(actorOf(request), request.query),
  );

  app.get(
    '/api/reports/:id',
    { schema: { tags, security, summary: 'One report', params: IdParams, response: { 200: Report, ...problems(401, 403, 404) } } },
    async (request) => reports.get(actorOf(request), request.params.id),
  );

  app.get(
    '/api/reports/:id/content',
    { schema: { tags, security, summary: 'The report itself: JSON, or CSV with Accept: text/csv (409 until it has succeeded)', params: IdParams } },
    async (request, reply) => {
      const wantsCsv = /\btext\/csv\b/i.test(request.headers.accept ?? '');
      const content = await reports.content(actorOf(request), request.params.id, wantsCsv ? 'csv' : 'json');
      return reply
        .type(content.contentType)
        .header('content-disposition', `${wantsCsv ? 'attachment' : 'inline'}; filename="${content.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .send(content.stream);
    },
  );
}
