import { Type, type Static } from 'typebox';
import { ESCALATION_CHANNELS, ESCALATION_ROLES, type EscalationPolicy as DomainPolicy } from '../escalation/policy.js';
import { Id } from './common.js';

/** GET/PUT /api/escalation-policy (CONTRACT §3 Notifications). */
export const EscalationLevel = Type.Object(
  {
    afterMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 10_080, description: 'Minutes after the previous level (the first: after the SLA breach); fractions allowed.' }),
    notify: Type.Object(
      {
        roles: Type.Optional(Type.Array(Type.Enum(ESCALATION_ROLES), { maxItems: ESCALATION_ROLES.length, uniqueItems: true })),
        userIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
        departmentContact: Type.Optional(Type.Boolean({ description: "The incident's department's contact address." })),
      },
      { additionalProperties: false },
    ),
    channels: Type.Array(Type.Enum(ESCALATION_CHANNELS), { minItems: 1, maxItems: ESCALATION_CHANNELS.length, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const EscalationPolicy = Type.Object(
  {
    levels: Type.Array(EscalationLevel, { minItems: 1, maxItems: 10 }),
    repeat: Type.Integer({ minimum: 1, maximum: 10, description: 'How many times the list of levels runs while nobody acknowledges.' }),
  },
  { additionalProperties: false },
);
export type EscalationPolicyBody = Static<typeof EscalationPolicy>;

// The schema and the domain type must describe the same thing.
const _sameShape: (body: EscalationPolicyBody) => DomainPolicy = (body) => body;
void _sameShape;
