import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_RULES,
  expandDeliveries,
  mayConcern,
  quietHoursEnd,
  selectRecipients,
  type IncidentEvent,
  type Person,
  type RecipientSelector,
  type Resolved,
  type RuleState,
} from '../src/index.js';

const rules: RuleState[] = DEFAULT_RULES.map((rule) => ({ id: rule.id, enabled: true, channels: [...rule.channels] }));
const incident = { id: 'i1', urgency: 'high' as const, departmentId: 'd1', reporterId: 'student-1', status: 'pending' as const };
const person = (id: string, role: Person['role']): Person => ({ id, role, email: `${id}@x.edu`, phone: null, language: 'es' });
const comment = (authorId: string, internal: boolean) =>
  ({ seq: 5, type: 'CommentAdded', id: 'i1', at: '2025-03-10T15:30:00.000Z', actorId: authorId, commentId: 'c1', text: 'hola', internal, authorId }) as IncidentEvent;

const resolver = (groups: Partial<Record<RecipientSelector['group'], Resolved>>) => (selector: RecipientSelector) => groups[selector.group] ?? { people: [] };

describe('notification rules', () => {
  it('a reporter’s comment goes to the department staff; a staff comment to the reporter; internal comments to no student', () => {
    assert.deepEqual(selectRecipients(comment('student-1', false), { incident, rules }).map((s) => s.selector), [{ group: 'department_staff', departmentId: 'd1' }]);
    assert.deepEqual(selectRecipients(comment('staff-1', false), { incident, rules }).map((s) => s.selector), [
      { group: 'user', userId: 'student-1', as: 'reporter' },
      // Those it affects too ("it affects me too") are told what the reporter is told.
      { group: 'followers', incidentId: 'i1' },
    ]);
    assert.deepEqual(selectRecipients(comment('staff-1', true), { incident, rules }), []);
  });

  it('never tells the actor, tells each address once per channel, and skips rules switched off', () => {
    const event = { seq: 1, type: 'IncidentCreated', id: 'i1', at: '2025-03-10T15:30:00.000Z', actorId: 'authority-1', reporterId: 'authority-1', category: 'x', title: 't', locationCode: null, locationText: null, urgency: 'critical', status: 'pending', departmentId: 'd1', createdAt: '2025-03-10T15:30:00.000Z' } as IncidentEvent;
    const selections = selectRecipients(event, { incident: { ...incident, urgency: 'critical' }, rules });
    const deliveries = expandDeliveries({
      event,
      internal: false,
      incident: { urgency: 'critical' },
      selections,
      resolve: resolver({ authorities: { people: [person('authority-1', 'authority'), person('authority-2', 'authority')] }, department_contact: { contact: { id: 'd1', email: 'authority-2@x.edu', phone: null } }, topic: { topic: true } }),
      available: new Set(['email', 'inapp']),
      defaultLanguage: 'es',
    });
    assert.deepEqual(deliveries.map((d) => `${d.channel}:${d.to}`).sort(), ['email:authority-2@x.edu', 'inapp:authority-2']);
    assert.ok(deliveries.every((d) => d.critical));
    const off = rules.map((rule) => (rule.id === 'urgent_incident' ? { ...rule, enabled: false } : rule));
    assert.deepEqual(selectRecipients(event, { incident, rules: off }), []);
  });
});

describe('quiet hours', () => {
  // 2025-03-10T15:30Z is 10:30 in Lima (UTC−5, no DST).
  const at = Date.parse('2025-03-10T15:30:00Z');
  it('answers when they end, across midnight too, or null outside them', () => {
    assert.equal(quietHoursEnd(at, { from: '10:00', to: '11:00' }, 'America/Lima'), Date.parse('2025-03-10T16:00:00Z'));
    assert.equal(quietHoursEnd(at, { from: '11:00', to: '10:00' }, 'America/Lima'), null);
    assert.equal(quietHoursEnd(at, { from: '22:00', to: '11:00' }, 'America/Lima'), Date.parse('2025-03-10T16:00:00Z'));
    assert.equal(quietHoursEnd(at, { from: '10:30', to: '10:29' }, 'America/Lima'), Date.parse('2025-03-11T15:29:00Z'));
    assert.equal(quietHoursEnd(at, null, 'America/Lima'), null);
  });

  it('mayConcern never says no where selectRecipients picks someone, for every event shape and rule switch', () => {
    const at = '2025-03-10T15:30:00.000Z';
    const base = { seq: 1, id: 'i1', at, actorId: 'x' };
    const events = [
      ...(['low', 'medium', 'high', 'critical'] as const).map((urgency) => ({ ...base, type: 'IncidentCreated', reporterId: 'student-1', category: 'x', title: 't', locationCode: null, locationText: null, urgency, status: 'pending', departmentId: 'd1', createdAt: at })),
      ...(['in_progress', 'resolved', 'closed', 'pending'] as const).map((status) => ({ ...base, type: 'IncidentStatusChanged', status, previousStatus: 'pending', updatedBy: 'x', updatedAt: at })),
      { ...base, type: 'IncidentEscalated', reason: 'sla_breach', slaDueAt: at, level: 1, status: 'escalated', previousStatus: 'pending', updatedBy: null, updatedAt: at },
      { ...base, type: 'DepartmentAssigned', departmentId: 'd2', previousDepartmentId: 'd1' },
      { ...base, type: 'AttachmentAdded', attachmentId: 'a', filename: 'f.png', contentType: 'image/png', size: 1 },
      comment('student-1', false),
      comment('staff-1', false),
      comment('staff-1', true),
    ] as IncidentEvent[];
    const switches = [rules, ...rules.map((off) => rules.map((rule) => (rule.id === off.id ? { ...rule, enabled: false } : rule))), rules.map((rule) => ({ ...rule, enabled: false }))];
    for (const states of switches) {
      for (const event of events) {
        const picked = selectRecipients(event, { incident, rules: states }).length > 0;
        // It may say yes where no one is picked in the end (the incident decides); never no where someone is.
        if (picked) assert.ok(mayConcern(event, states), `${event.type} ${JSON.stringify(states.filter((r) => !r.enabled).map((r) => r.id))}`);
      }
    }
    assert.equal(mayConcern(events[1]!, rules), false, 'a medium-urgency report concerns no one');
    assert.equal(mayConcern(events[3]!, rules), true);
    assert.equal(mayConcern(events[3]!, rules.map((rule) => ({ ...rule, enabled: false }))), false);
  });
});
