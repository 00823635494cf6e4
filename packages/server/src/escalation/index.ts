/** SLA escalation and the escalation policy (docs/escalation.md). */
export { createEscalator, type CheckOutcome, type Escalator, type EscalatorDeps } from './escalator.js';
export { escalationPolicyRepository } from './policy-repository.js';
export { createEscalationPolicyService, type EscalationPolicyService } from './policy-service.js';
export { incidentEscalationsRepository, type DueIncident } from './repository.js';
export { escalationRoutes } from './routes.js';
