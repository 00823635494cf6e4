import { EscalationPolicy } from '@alertautec/core/schemas';
import { actorOf } from '../http/authenticate.js';
import { problems } from '../http/responses.js';
import type { App } from '../http/types.js';
import type { EscalationPolicyService } from './policy-service.js';

const tags = ['escalation'];
const security = [{ bearer: [] }];

export function escalationRoutes(app: App, policy: EscalationPolicyService) {
  app.get(
    '/api/escalation-policy',
    { schema: { tags, security, summary: "The tenant's escalation policy (admin)", response: { 200: EscalationPolicy, ...problems(401, 403) } } },
    async (request) => policy.get(actorOf(request)),
  );

  app.put(
    '/api/escalation-policy',
    {
      schema: {
        tags,
        security,
        summary: "Replaces the tenant's escalation policy (admin); escalations under way follow it from their next level",
        body: EscalationPolicy,
        response: { 200: EscalationPolicy, ...problems(400, 401, 403) },
      },
    },
    async (request) => policy.put(actorOf(request), request.body),
  );
}
