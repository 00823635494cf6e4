import type { Language, NotificationKind, Status, Urgency } from '@alertautec/core';

/**
 * Message templates in Spanish and English: a subject, a one-line summary (in-app, SMS),
 * plain text and HTML (e-mail). Everything people wrote (titles, descriptions, comments,
 * places, department names) is escaped in the HTML. Dates are shown on the campus clock.
 */
export interface MessageFacts {
  kind: NotificationKind;
  incident: {
    id: string;
    title: string;
    description: string;
    category: string;
    urgency: Urgency;
    status: Status;
    place: string | null;
    departmentName: string | null;
    createdAt: number;
  };
  /** The event's own facts. */
  event: { at: number; status?: Status; comment?: string; level?: number; reason?: string };
  /** `${PUBLIC_URL}/incidents/${id}` (a department report's message: `${PUBLIC_URL}/reports/${reportId}`). */
  link: string;
  timeZone: string;
}

export interface RenderedMessage {
  subject: string;
  summary: string;
  text: string;
  html: string;
}

const URGENCY: Record<Language, Record<Urgency, string>> = {
  es: { low: 'baja', medium: 'media', high: 'alta', critical: 'crítica' },
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};

const STATUS: Record<Language, Record<Status, string>> = {
  es: { pending: 'pendiente', in_progress: 'en atención', escalated: 'escalado', resolved: 'resuelto', closed: 'cerrado', rejected: 'rechazado' },
  en: { pending: 'pending', in_progress: 'in progress', escalated: 'escalated', resolved: 'resolved', closed: 'closed', rejected: 'rejected' },
};

const LABELS = {
  es: { urgency: 'Urgencia', status: 'Estado', place: 'Lugar', department: 'Área', reported: 'Reportado', details: 'Descripción', open: 'Ver el incidente', openReport: 'Ver el informe', comment: 'Comentario', footer: 'Recibes este mensaje por tus notificaciones de AlertaUTEC.' },
  en: { urgency: 'Urgency', status: 'Status', place: 'Place', department: 'Department', reported: 'Reported', details: 'Description', open: 'Open the incident', openReport: 'Open the report', comment: 'Comment', footer: 'You receive this message through your AlertaUTEC notifications.' },
} as const;

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}

export function formatDate(ms: number, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(language === 'es' ? 'es-PE' : 'en-US', { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(ms));
}

/** The headline: what happened, in a few words (the subject without the brand). */
function headline(facts: MessageFacts, language: Language): string {
  const { incident, event } = facts;
  const es = language === 'es';
  switch (facts.kind) {
    case 'incident_created':
      return es ? `Nuevo incidente de urgencia ${URGENCY.es[incident.urgency]}: ${incident.title}` : `New ${URGENCY.en[incident.urgency]} urgency incident: ${incident.title}`;
    case 'status_changed': {
      const status = STATUS[language][event.status ?? incident.status];
      return es ? `Incidente ${status}: ${incident.title}` : `Incident ${status}: ${incident.title}`;
    }
    case 'department_assigned':
      return es ? `Incidente asignado a ${incident.departmentName ?? 'tu área'}: ${incident.title}` : `Incident assigned to ${incident.departmentName ?? 'your department'}: ${incident.title}`;
    case 'department_report':
      return es ? `Informe del incidente para ${incident.departmentName ?? 'tu área'}: ${incident.title}` : `Incident report for ${incident.departmentName ?? 'your department'}: ${incident.title}`;
    case 'comment':
      return es ? `Nuevo comentario en: ${incident.title}` : `New comment on: ${incident.title}`;
    case 'escalated': {
      const level = event.level && event.level > 1 ? (es ? ` (nivel ${event.level})` : ` (level ${event.level})`) : '';
      return es ? `Incidente escalado${level}: ${incident.title}` : `Incident escalated${level}: ${incident.title}`;
    }
  }
}

export function renderMessage(facts: MessageFacts, language: Language): RenderedMessage {
  const { incident, event, link } = facts;
  const labels = LABELS[language];
  const title = headline(facts, language);
  const details: [string, string][] = [
    [labels.urgency, URGENCY[language][incident.urgency]],
    [labels.status, STATUS[language][event.status ?? incident.status]],
    ...(incident.place ? [[labels.place, incident.place] as [string, string]] : []),
    ...(incident.departmentName ? [[labels.department, incident.departmentName] as [string, string]] : []),
    [labels.reported, formatDate(incident.createdAt, language, facts.timeZone)],
  ];
  const showDescription = facts.kind === 'incident_created' || facts.kind === 'department_assigned' || facts.kind === 'department_report' || facts.kind === 'escalated';
  const open = facts.kind === 'department_report' ? labels.openReport : labels.open;
  const comment = facts.kind === 'comment' && event.comment ? event.comment : null;

  const text = [
    title,
    '',
    ...details.map(([label, value]) => `${label}: ${value}`),
    ...(showDescription ? ['', `${labels.details}:`, incident.description] : []),
    ...(comment ? ['', `${labels.comment}:`, comment] : []),
    '',
    `${open}: ${link}`,
    '',
    '--',
    labels.footer,
  ].join('\n');

  const paragraphs = (value: string) => escapeHtml(value).replace(/\n/g, '<br>');
  const html = [
    '<!doctype html>',
    `<html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.4">',
    `<h1 style="font-size: 1.2em">${escapeHtml(title)}</h1>`,
    `<table>${details.map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`,
    ...(showDescription ? [`<h2 style="font-size: 1em">${escapeHtml(labels.details)}</h2>`, `<p>${paragraphs(incident.description)}</p>`] : []),
    ...(comment ? [`<h2 style="font-size: 1em">${escapeHtml(labels.comment)}</h2>`, `<blockquote>${paragraphs(comment)}</blockquote>`] : []),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(open)}</a></p>`,
    `<p style="color: #666; font-size: 0.85em">${escapeHtml(labels.footer)}</p>`,
    '</body></html>',
  ].join('\n');

  const summary = comment ? `${title} — ${truncate(comment, 200)}` : title;
  return { subject: `[AlertaUTEC] ${title}`, summary, text, html };
}

const truncate = (value: string, max: number) => (value.length <= max ? value : `${value.slice(0, max - 1)}…`);

/** An SMS: the headline and the link, short. */
export const smsText = (rendered: RenderedMessage, link: string) => `${truncate(rendered.subject, 140)} ${link}`;
