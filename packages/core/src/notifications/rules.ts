import type { IncidentEvent, IncidentEventType } from '../incidents/events.js';
import type { Incident, Status } from '../incidents/model.js';
import type { Role } from '../roles.js';

/**
 * Who is told what, on which channels, when something happens to an incident. Pure: the
 * notifier (server) gives an event, the incident as it is now, the rule switches, and the
 * people it looked up; these functions answer with one delivery per (recipient, channel).
 * Looking people up is split from choosing them (selectRecipients names groups, the server
 * resolves them, expandDeliveries picks addresses), so the server only reads the groups an
 * event needs.
 */
export const NOTIFICATION_CHANNELS = ['email', 'sms', 'sns', 'inapp'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type RuleId = 'urgent_incident' | 'status_update' | 'department_assigned' | 'staff_comment' | 'reporter_comment' | 'escalation';

/** What a message is about: picks the template and the "is it moot yet" check. */
export type NotificationKind = 'incident_created' | 'status_changed' | 'department_assigned' | 'comment' | 'escalated'
  /** The department's incident report is written (sent by the report job, under the department_assigned rule). */
  | 'department_report';

export type RecipientGroup = 'authorities' | 'department_contact' | 'department_staff' | 'reporter' | 'topic';

export interface RuleDefinition {
  id: RuleId;
  event: IncidentEventType;
  /** What must hold besides the event type, for people to read. */
  condition: string;
  recipients: readonly RecipientGroup[];
  /** Channels used when an admin has not changed them. */
  channels: readonly NotificationChannel[];
}

export const DEFAULT_RULES: readonly RuleDefinition[] = [
  {
    id: 'urgent_incident',
    event: 'IncidentCreated',
    condition: 'urgency is high or critical',
    recipients: ['authorities', 'department_contact', 'topic'],
    channels: ['email', 'sms', 'sns', 'inapp'],
  },
  {
    id: 'status_update',
    event: 'IncidentStatusChanged',
    condition: 'the status becomes in_progress, escalated or resolved (a move to escalated is logged as IncidentEscalated)',
    recipients: ['reporter', 'department_contact'],
    channels: ['email', 'sms', 'inapp'],
  },
  {
    id: 'department_assigned',
    event: 'DepartmentAssigned',
    condition: 'the incident moves to a department',
    recipients: ['department_contact', 'department_staff'],
    channels: ['email', 'inapp'],
  },
  {
    id: 'staff_comment',
    event: 'CommentAdded',
    condition: 'a public comment by someone other than the reporter',
    recipients: ['reporter'],
    channels: ['email', 'inapp'],
  },
  {
    id: 'reporter_comment',
    event: 'CommentAdded',
    condition: 'a comment by the reporter',
    recipients: ['department_staff'],
    channels: ['email', 'inapp'],
  },
  {
    id: 'escalation',
    event: 'IncidentEscalated',
    condition: 'the incident escalates (SLA breach, by hand, or a further escalation-policy level)',
    recipients: ['authorities', 'topic'],
    channels: ['email', 'sms', 'sns', 'inapp'],
  },
];

export const RULE_IDS: readonly RuleId[] = DEFAULT_RULES.map((rule) => rule.id);

/** An admin's switches for one rule. */
export interface RuleState {
  id: RuleId;
  enabled: boolean;
  channels: readonly NotificationChannel[];
}

/** A group to look up (resolved by the server into people or a contact address). */
export type RecipientSelector =
  | { group: 'authorities' }
  | { group: 'department_contact'; departmentId: string }
  | { group: 'department_staff'; departmentId: string }
  | { group: 'user'; userId: string; as: 'reporter' }
  /** The students who follow the incident ("it affects me too"): told what its reporter is told. */
  | { group: 'followers'; incidentId: string }
  | { group: 'topic' }
  /** People named by an escalation policy level (user ids or roles). */
  | { group: 'users'; userIds: readonly string[] }
  | { group: 'role'; role: Role };

export interface Selection {
  ruleId: RuleId;
  kind: NotificationKind;
  selector: RecipientSelector;
  channels: readonly NotificationChannel[];
}

/** What a rule needs besides the event: the incident now, and who escalation levels name. */
export interface SelectionContext {
  incident: Pick<Incident, 'id' | 'urgency' | 'departmentId' | 'reporterId' | 'status'>;
  rules: readonly RuleState[];
  /**
   * For IncidentEscalated with a level above 1: whom the escalation policy names for that
   * level (null: the default, every authority).
   */
  escalationTargets?: { roles: readonly Role[]; userIds: readonly string[]; departmentContact: boolean; channels: readonly NotificationChannel[] } | null;
}

const STATUS_UPDATES: readonly Status[] = ['in_progress', 'escalated', 'resolved'];

/** The groups each enabled rule wants told about this event. */
/**
 * Whether any enabled rule could pick someone for this event, judged from the event alone:
 * most events (a medium-urgency report, a comment nobody is switched on for) concern no
 * one, and the notifier then spares itself reading the incident.
 */
export function mayConcern(event: IncidentEvent, rules: readonly RuleState[]): boolean {
  const enabled = (id: RuleId) => rules.some((rule) => rule.id === id && rule.enabled && rule.channels.length > 0);
  switch (event.type) {
    case 'IncidentCreated':
      return (event.urgency === 'high' || event.urgency === 'critical') && enabled('urgent_incident');
    case 'IncidentStatusChanged':
      return STATUS_UPDATES.includes(event.status) && enabled('status_update');
    case 'IncidentEscalated':
      return enabled('status_update') || enabled('escalation');
    case 'DepartmentAssigned':
      return enabled('department_assigned');
    case 'CommentAdded':
      return enabled('staff_comment') || enabled('reporter_comment');
    default:
      return false;
  }
}

export function selectRecipients(event: IncidentEvent, context: SelectionContext): Selection[] {
  const { incident } = context;
  const state = new Map(context.rules.map((rule) => [rule.id, rule]));
  const selections: Selection[] = [];
  const add = (ruleId: RuleId, kind: NotificationKind, selectors: RecipientSelector[], channels?: readonly NotificationChannel[]) => {
    const rule = state.get(ruleId);
    if (!rule?.enabled) return;
    const allowed = channels ? channels.filter((channel) => rule.channels.includes(channel)) : rule.channels;
    if (allowed.length === 0) return;
    for (const selector of selectors) selections.push({ ruleId, kind, selector, channels: allowed });
  };
  const departmentContact = (departmentId: string | null): RecipientSelector[] =>
    departmentId ? [{ group: 'department_contact', departmentId }] : [];
  const departmentStaff = (departmentId: string | null): RecipientSelector[] => (departmentId ? [{ group: 'department_staff', departmentId }] : []);
  const reporter: RecipientSelector = { group: 'user', userId: incident.reporterId, as: 'reporter' };
  const followers: RecipientSelector = { group: 'followers', incidentId: incident.id };

  switch (event.type) {
    case 'IncidentCreated':
      if (event.urgency === 'high' || event.urgency === 'critical') {
        add('urgent_incident', 'incident_created', [{ group: 'authorities' }, ...departmentContact(event.departmentId), { group: 'topic' }]);
      }
      break;
    case 'IncidentStatusChanged':
      if (STATUS_UPDATES.includes(event.status)) add('status_update', 'status_changed', [reporter, followers, ...departmentContact(incident.departmentId)]);
      break;
    case 'IncidentEscalated': {
      // The reporter hears of the escalation once; later policy levels are reminders to staff.
      if ((event.level ?? 1) <= 1) add('status_update', 'status_changed', [reporter, followers, ...departmentContact(incident.departmentId)]);
      const targets = context.escalationTargets;
      if (!targets) {
        add('escalation', 'escalated', [{ group: 'authorities' }, { group: 'topic' }]);
      } else {
        const selectors: RecipientSelector[] = [
          ...targets.roles.map((role): RecipientSelector => (role === 'authority' ? { group: 'authorities' } : { group: 'role', role })),
          ...(targets.userIds.length > 0 ? [{ group: 'users', userIds: targets.userIds } as const] : []),
          ...(targets.departmentContact ? departmentContact(incident.departmentId) : []),
          { group: 'topic' },
        ];
        add('escalation', 'escalated', selectors, targets.channels);
      }
      break;
    }
    case 'DepartmentAssigned':
      add('department_assigned', 'department_assigned', [...departmentContact(event.departmentId), ...departmentStaff(event.departmentId)]);
      break;
    case 'CommentAdded':
      if (event.authorId !== null && event.authorId === incident.reporterId) {
        add('reporter_comment', 'comment', departmentStaff(incident.departmentId));
      } else if (!event.internal) {
        add('staff_comment', 'comment', [reporter, followers]);
      }
      break;
    default:
      break;
  }
  return selections;
}

/** A person the server looked up for a selector. */
export interface Person {
  id: string;
  role: Role;
  email: string;
  /** For SMS, from their preferences. */
  phone: string | null;
  language: Language;
}

export interface DepartmentContact {
  id: string;
  email: string | null;
  phone: string | null;
}

/** What a selector resolved to. */
export type Resolved = { people: readonly Person[] } | { contact: DepartmentContact } | { topic: true };

export interface Delivery {
  ruleId: RuleId;
  kind: NotificationKind;
  channel: NotificationChannel;
  /** Who, independent of the address: `user:{id}`, `department:{id}` or `topic`. */
  recipientKey: string;
  userId: string | null;
  /** An e-mail address, a phone number, a user id (in-app) or `topic` (SNS). */
  to: string;
  language: Language;
  /** Critical incidents and escalations to authorities: never muted, never held for quiet hours. */
  critical: boolean;
}

export interface ExpandInput {
  event: IncidentEvent;
  /** Whether the event is an internal one (never shown to students). */
  internal: boolean;
  incident: Pick<Incident, 'urgency'>;
  selections: readonly Selection[];
  resolve: (selector: RecipientSelector) => Resolved;
  /** Channels this deployment can use (SMS and SNS only when configured). */
  available: ReadonlySet<NotificationChannel>;
  /** Language for department contacts and topics. */
  defaultLanguage: Language;
}

/**
 * One delivery per (recipient, channel) and per (address, channel): a person picked by two
 * rules, or an address shared by two recipients, is told once (the first rule wins). The
 * actor is never told of their own change; students never hear of internal events.
 */
export function expandDeliveries(input: ExpandInput): Delivery[] {
  const { event } = input;
  const deliveries: Delivery[] = [];
  const seenRecipients = new Set<string>();
  const seenAddresses = new Set<string>();
  const push = (delivery: Delivery) => {
    const recipient = `${delivery.channel}|${delivery.recipientKey}`;
    const address = `${delivery.channel}|${delivery.to.toLowerCase()}`;
    if (seenRecipients.has(recipient) || seenAddresses.has(address)) return;
    seenRecipients.add(recipient);
    seenAddresses.add(address);
    deliveries.push(delivery);
  };
  for (const selection of input.selections) {
    const channels = selection.channels.filter((channel) => input.available.has(channel));
    if (channels.length === 0) continue;
    const base = { ruleId: selection.ruleId, kind: selection.kind };
    const criticalIncident = input.incident.urgency === 'critical';
    const resolved = input.resolve(selection.selector);
    if ('topic' in resolved) {
      if (channels.includes('sns')) push({ ...base, channel: 'sns', recipientKey: 'topic', userId: null, to: 'topic', language: input.defaultLanguage, critical: true });
      continue;
    }
    if ('contact' in resolved) {
      const { contact } = resolved;
      const key = `department:${contact.id}`;
      const critical = criticalIncident;
      if (channels.includes('email') && contact.email) push({ ...base, channel: 'email', recipientKey: key, userId: null, to: contact.email, language: input.defaultLanguage, critical });
      if (channels.includes('sms') && contact.phone) push({ ...base, channel: 'sms', recipientKey: key, userId: null, to: contact.phone, language: input.defaultLanguage, critical });
      continue;
    }
    for (const person of resolved.people) {
      if (person.id === event.actorId) continue;
      if (input.internal && person.role === 'student') continue;
      const critical = criticalIncident || (selection.kind === 'escalated' && person.role === 'authority');
      const key = `user:${person.id}`;
      const common = { ...base, recipientKey: key, userId: person.id, language: person.language, critical };
      for (const channel of channels) {
        if (channel === 'email') push({ ...common, channel, to: person.email });
        else if (channel === 'inapp') push({ ...common, channel, to: person.id });
        else if (channel === 'sms' && person.phone) push({ ...common, channel, to: person.phone });
      }
    }
  }
  return deliveries;
}

/** Whether a message has lost its point by the time it is sent (a "new incident" alert about one already closed). */
export function isMoot(kind: NotificationKind, status: Status): boolean {
  if (kind === 'incident_created' || kind === 'escalated') return status === 'resolved' || status === 'closed' || status === 'rejected';
  return false;
}
