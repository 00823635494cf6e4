import { INCIDENT_TEXT_LIMITS } from '@alertautec/core';
import type { PublicConfig } from '@alertautec/core/schemas';
import type { Config } from '../config.js';
import { ALLOWED_TYPES, MAX_ATTACHMENTS_PER_INCIDENT } from '../incidents/attachments.js';

/** The limits and numbers the web app shows and checks, from the server's own values. */
export const presentPublicConfig = (config: Config): PublicConfig => ({
  attachmentMaxBytes: config.attachmentMaxBytes,
  attachmentMaxCount: MAX_ATTACHMENTS_PER_INCIDENT,
  attachmentTypes: Object.keys(ALLOWED_TYPES),
  ...INCIDENT_TEXT_LIMITS,
  emergencyPhone: config.emergencyPhone,
  // Config keeps seconds; people (and the contract) think in minutes.
  slaMinutes: {
    critical: config.sla.critical / 60,
    high: config.sla.high / 60,
    medium: config.sla.medium / 60,
    low: config.sla.low / 60,
  },
  timeZone: config.timeZone,
});
