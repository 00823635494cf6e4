import { CreateUserBody, IdParams, UpdateUserBody, User, UserListQuery, page } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { UsersService } from './service.js';

const tags = ['users'];
const security = [{ bearer: [] }];

export function usersRoutes(app: App, users: UsersService) {
  app.get(
    '/api/users',
    { schema: { tags, security, summary: 'List users (admin)', querystring: UserListQuery, response: { 200: page(User), ...problems(401, 403) } } },
    async (request) => users.list(actorOf(request), request.query),
  );

  app.post(
    '/api/users',
    { schema: { tags, security, summary: 'Create a user (admin)', body: CreateUserBody, response: { 201: User, ...problems(401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await users.create(actorOf(request), request.body)),
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a user’s role, department, name, or disable them (admin)',
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => users.update(actorOf(request), request.params.id, request.body),
  );
}

