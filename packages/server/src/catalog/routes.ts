import {
  Category,
  CategoryParams,
  CreateCategoryBody,
  CreateDepartmentBody,
  CreateLocationBody,
  Department,
  IdParams,
  Location,
  LocationParams,
  LocationValidation,
  UpdateCategoryBody,
  UpdateDepartmentBody,
  UpdateLocationBody,
  ValidateLocationBody,
  page,
} from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { NoContent, problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { CatalogService } from './service.js';

const security = [{ bearer: [] }];

export function catalogRoutes(app: App, catalog: CatalogService) {
  const tags = ['catalog'];

  app.get(
    '/api/departments',
    { schema: { tags, security, summary: 'Departments', response: { 200: page(Department), ...problems(401) } } },
    async (request) => catalog.listDepartments(actorOf(request)),
  );
  app.post(
    '/api/departments',
    { schema: { tags, security, summary: 'Create a department (admin)', body: CreateDepartmentBody, response: { 201: Department, ...problems(401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await catalog.createDepartment(actorOf(request), request.body)),
  );
  app.patch(
    '/api/departments/:id',
    {
      schema: { tags, security, summary: 'Change a department (admin)', params: IdParams, body: UpdateDepartmentBody, response: { 200: Department, ...problems(401, 403, 404, 409) } },
    },
    async (request) => catalog.updateDepartment(actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/api/categories',
    { schema: { tags, security, summary: 'Incident categories and the department each routes to', response: { 200: page(Category), ...problems(401) } } },
    async (request) => catalog.listCategories(actorOf(request)),
  );
  app.post(
    '/api/categories',
    { schema: { tags, security, summary: 'Create a category (admin)', body: CreateCategoryBody, response: { 201: Category, ...problems(401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await catalog.createCategory(actorOf(request), request.body)),
  );
  app.patch(
    '/api/categories/:code',
    {
      schema: { tags, security, summary: 'Rename a category or route it elsewhere (admin)', params: CategoryParams, body: UpdateCategoryBody, response: { 200: Category, ...problems(401, 403, 404) } },
    },
    async (request) => catalog.updateCategory(actorOf(request), request.params.code, request.body),
  );

  app.get(
    '/api/locations',
    { schema: { tags, security, summary: 'Campus locations', response: { 200: page(Location), ...problems(401) } } },
    async (request) => catalog.listLocations(actorOf(request)),
  );
  app.post(
    '/api/locations',
    { schema: { tags, security, summary: 'Create a location (admin)', body: CreateLocationBody, response: { 201: Location, ...problems(401, 403, 409) } } },
    async (request, reply) => reply.code(201).send(await catalog.createLocation(actorOf(request), request.body)),
  );
  app.patch(
    '/api/locations/:code',
    {
      schema: { tags, security, summary: 'Change a location (admin)', params: LocationParams, body: UpdateLocationBody, response: { 200: Location, ...problems(401, 403, 404) } },
    },
    async (request) => catalog.updateLocation(actorOf(request), request.params.code, request.body),
  );
  app.delete(
    '/api/locations/:code',
    { schema: { tags, security, summary: 'Remove a location (admin)', params: LocationParams, response: { 204: NoContent, ...problems(401, 403, 404) } } },
    async (request, reply) => {
      await catalog.deleteLocation(actorOf(request), request.params.code);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/locations/validate',
    {
      schema: {
        tags,
        security,
        summary: 'Check a location code, or find locations that match free text',
        body: ValidateLocationBody,
        response: { 200: LocationValidation, ...problems(401) },
      },
    },
    async (request) => catalog.validateLocation(actorOf(request), request.body),
  );
}
