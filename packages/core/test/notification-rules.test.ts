import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_RULES,
  expandDeliveries,
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
    assert.deepEqual(selectRecipients(comment('staff-1', false), { incident, rules }).map((s) => s.selector), [{ group: 'user', userId: 'student-1', as: 'reporter' }]);
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
});
