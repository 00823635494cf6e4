import { CreateUserBody, IdParams, UpdateUserBody, User, UserListQuery, page } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { NoContent, problems } from '../http/responses.js';
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

  app.get(
    '/api/users/:id',
    { schema: { tags, security, summary: 'One user (admin)', params: IdParams, response: { 200: User, ...problems(401, 403, 404) } } },
    async (request) => users.get(actorOf(request), request.params.id),
  );

  app.delete(
    '/api/users/:id/login-lock',
    {
      schema: {
        tags,
        security,
        summary: 'Lift the sign-in lock repeated failures put on a user, and forget the failures (admin)',
        params: IdParams,
        response: { 204: NoContent, ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await users.unlockLogin(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
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

