import { Type, type Static } from 'typebox';
import { Id, PAGING, Timestamp, page } from './common.js';

/** Reports (CONTRACT §3 Reports and jobs; docs/reports.md). */
export const REPORT_KINDS = ['global', 'department', 'incident'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
/** What may be asked for on demand; `incident` reports come from the event log. */
export const REQUESTABLE_REPORT_KINDS = ['global', 'department'] as const;
export const REPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const Report = Type.Object({
  id: Type.String(),
  kind: Type.Enum(REPORT_KINDS),
  status: Type.Enum(REPORT_STATUSES),
  createdAt: Timestamp,
  finishedAt: Type.Union([Timestamp, Type.Null()]),
  departmentId: Type.Optional(Type.String()),
  incidentId: Type.Optional(Type.String()),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  key: Type.String({ description: 'Blob key of the JSON content; the CSV sits beside it with `.csv`.' }),
  error: Type.Optional(Type.String()),
});
export type Report = Static<typeof Report>;

export const ReportPage = page(Report);

export const NewReport = Type.Object(
  {
    kind: Type.Enum(REQUESTABLE_REPORT_KINDS),
    departmentId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
export type NewReport = Static<typeof NewReport>;

export const ReportAccepted = Type.Object({ id: Type.String(), status: Type.Enum(REPORT_STATUSES) });

export const ReportsQuery = Type.Object(
  { kind: Type.Optional(Type.Enum(REPORT_KINDS)), departmentId: Type.Optional(Id), incidentId: Type.Optional(Id), ...PAGING },
  { additionalProperties: false },
);
export type ReportsQuery = Static<typeof ReportsQuery>;
