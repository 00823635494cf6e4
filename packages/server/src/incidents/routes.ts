import { DomainError, validationError } from '@alertautec/core';
import {
  AffectedAnswer,
  AssignDepartmentBody,
  AttachmentParams,
  AttachmentSchema,
  CommentBody,
  CreateIncidentBody,
  DepartmentIncidentsQuery,
  IdParams,
  IfMatchHeaders,
  IncidentEventSchema,
  IncidentListQuery,
  IncidentPreview,
  IncidentSchema,
  StatsQuery,
  StatsSchema,
  UpdateStatusBody,
  page,
} from '@alertautec/core/schemas';
import { Type } from 'typebox';
import { userOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { AttachmentsService } from './attachments.js';
import type { IncidentsService } from './service.js';

const tags = ['incidents'];
const security = [{ bearer: [] }];

const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })),
});

/**
 * RFC 6266: a plain ASCII `filename` for old clients and the exact name as an RFC 8187
 * `filename*` (where ' ( ) * must be escaped too, which encodeURIComponent leaves alone).
 */
export function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  const fallback = filename.normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^\x20-\x7e]|["\\]/gu, '_');
  const encoded = encodeURIComponent(filename.replace(/\p{Cs}/gu, '\uFFFD')).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

const fileRequired = () => validationError('Send the file in the multipart field "file".', [{ path: '/file', message: 'is required' }]);

/**
 * A multipart body the parser refuses before any file arrives is the client's mistake: a
 * text field where the file belongs (the parser's "fields limit", 413 by default) or a
 * body that is not multipart at all (no boundary, which would otherwise be a 500).
 */
function multipartProblem(error: unknown): Error {
  const code = (error as { code?: string }).code;
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT') return fileRequired();
  if (code === 'FST_REQ_FILE_TOO_LARGE') return error as Error;
  return validationError('The multipart body cannot be read.', [{ path: '/file', message: (error as Error).message }], 'malformed_multipart');
}

const parseIfMatch = (header: string | undefined) => (header === undefined ? undefined : Number(/\d+/.exec(header)![0]));

export function incidentsRoutes(app: App, incidents: IncidentsService, attachments: AttachmentsService) {
  app.post(
    '/api/incidents',
    {
      schema: {
        tags,
        security,
        summary: 'Report an incident; an Idempotency-Key makes retries safe',
        headers: IdempotencyHeaders,
        body: CreateIncidentBody,
        response: { 201: IncidentSchema, ...problems(401, 409) },
      },
    },
    async (request, reply) => {
      const { incident, replayed } = await incidents.create(userOf(request), request.body, request.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).header('etag', `"${incident.version}"`).send(incident);
    },
  );

  app.post(
    '/api/incidents/preview',
    {
      schema: {
        tags,
        security,
        summary: 'What a report would become: its department and possible duplicates; nothing is stored',
        body: CreateIncidentBody,
        response: { 200: IncidentPreview, ...problems(401) },
      },
    },
    async (request) => incidents.preview(userOf(request), request.body),
  );

  app.get(
    '/api/incidents',
    {
      schema: {
        tags,
        security,
        summary: 'Incidents the caller may see, newest first',
        querystring: IncidentListQuery,
        response: { 200: page(IncidentSchema), ...problems(401) },
      },
    },
    async (request) => incidents.list(userOf(request), request.query),
  );

  app.get(
    '/api/incidents/:id',
    { schema: { tags, security, summary: 'One incident', params: IdParams, response: { 200: IncidentSchema, ...problems(401, 404) } } },
    async (request, reply) => {
      const incident = await incidents.get(userOf(request), request.params.id);
      return reply.header('etag', `"${incident.version}"`).send(incident);
    },
  );

  app.patch(
    '/api/incidents/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the status (If-Match: <version> guards against lost updates)',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateStatusBody,
        response: { 200: IncidentSchema, ...problems(401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const incident = await incidents.changeStatus(userOf(request), request.params.id, request.body, parseIfMatch(request.headers['if-match']));
      return reply.header('etag', `"${incident.version}"`).send(incident);
    },
  );

  app.post(
    '/api/incidents/:id/comments',
    {
      schema: {
        tags,
        security,
        summary: 'Comment, publicly or (staff and up) internally',
        params: IdParams,
        body: CommentBody,
        response: { 201: IncidentEventSchema, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await incidents.comment(userOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/incidents/:id/affected',
    {
      schema: {
        tags,
        security,
        summary: '“It affects me too” (students): follow an open incident instead of reporting it again',
        description:
          'For an open incident of the tenant (as a preview’s possible duplicates offer them): the student follows it (its public view, its notifications) and its affectedCount goes up by one, once per student; saying it again answers the same count. 409 `incident_not_open` once resolved, closed or rejected.',
        params: IdParams,
        response: { 200: AffectedAnswer, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => incidents.affected(userOf(request), request.params.id),
  );

  app.put(
    '/api/incidents/:id/department',
    {
      schema: {
        tags,
        security,
        summary: 'Assign the incident to a department (admin)',
        params: IdParams,
        body: AssignDepartmentBody,
        response: { 200: IncidentSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => incidents.assignDepartment(userOf(request), request.params.id, request.body.departmentId),
  );

  app.get(
    '/api/incidents/:id/events',
    {
      schema: {
        tags,
        security,
        summary: 'The incident’s history, oldest first',
        params: IdParams,
        response: { 200: Type.Object({ items: Type.Array(IncidentEventSchema) }), ...problems(401, 404) },
      },
    },
    async (request) => incidents.events(userOf(request), request.params.id),
  );

  app.post(
    '/api/incidents/:id/attachments',
    {
      schema: {
        tags,
        security,
        summary: 'Attach a photo or PDF (multipart field "file"); JPEG, PNG, WebP or PDF judged by content',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: AttachmentSchema, ...problems(401, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'Send the file as multipart/form-data in the field "file".');
      }
      const actor = userOf(request);
      let file;
      try {
        file = await request.file({ limits: { fileSize: attachments.maxBytes, files: 1, fields: 0 } });
      } catch (error) {
        throw multipartProblem(error);
      }
      if (!file || file.fieldname !== 'file') {
        file?.file.resume();
        throw fileRequired();
      }
      const attachment = await attachments.add(actor, request.params.id, { filename: file.filename, stream: file.file });
      return reply.code(201).send(attachment);
    },
  );

  app.get(
    '/api/incidents/:id/attachments/:attachmentId',
    { schema: { tags, security, summary: 'Download an attachment', params: AttachmentParams } },
    async (request, reply) => {
      const file = await attachments.open(userOf(request), request.params.id, request.params.attachmentId);
      const disposition = file.contentType.startsWith('image/') ? 'inline' : 'attachment';
      return reply
        .type(file.contentType)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(disposition, file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(file.stream);
    },
  );

  app.get(
    '/api/departments/:id/incidents',
    {
      schema: {
        tags,
        security,
        summary: 'A department’s incidents',
        params: IdParams,
        querystring: DepartmentIncidentsQuery,
        response: { 200: page(IncidentSchema), ...problems(401, 403, 404) },
      },
    },
    async (request) => incidents.listForDepartment(userOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/stats',
    {
      schema: {
        tags,
        security,
        summary: 'Counts, MTTA/MTTR and SLA breaches over what the caller may see, of incidents created in [from, to)',
        querystring: StatsQuery,
        response: { 200: StatsSchema, ...problems(401) },
      },
    },
    async (request) => incidents.stats(userOf(request), request.query),
  );
}
