import { Type, type Static } from 'typebox';
import { Nullable } from './common.js';

/**
 * `GET /api/config` (public): what the web app shows and checks before it sends anything,
 * so its limits are the server's and never copies of them.
 */
export const PublicConfig = Type.Object({
  attachmentMaxBytes: Type.Integer({ description: 'largest attachment, in bytes (ATTACHMENT_MAX_BYTES)' }),
  attachmentMaxCount: Type.Integer({ description: 'attachments one incident may hold' }),
  attachmentTypes: Type.Array(Type.String(), { description: 'content types kept, judged by the bytes: image/jpeg, image/png, …' }),
  titleMaxLength: Type.Integer(),
  descriptionMaxLength: Type.Integer({ description: 'in Unicode code points' }),
  locationTextMaxLength: Type.Integer(),
  emergencyPhone: Nullable(Type.String({ description: 'the campus emergency number (EMERGENCY_PHONE), shown for critical reports' })),
  slaMinutes: Type.Object({ critical: Type.Number(), high: Type.Number(), medium: Type.Number(), low: Type.Number() }),
  timeZone: Type.String({ description: 'the campus time zone (ALERTA_TIMEZONE)' }),
});
export type PublicConfig = Static<typeof PublicConfig>;
