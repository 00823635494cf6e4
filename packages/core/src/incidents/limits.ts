/**
 * How long a report's texts may be. The request schemas enforce them, and the public
 * configuration (`GET /api/config`) hands them to the web app, which shows and checks them
 * before sending. Lengths count Unicode code points, as JSON Schema's maxLength does.
 */
export const INCIDENT_TEXT_LIMITS = {
  titleMaxLength: 120,
  descriptionMaxLength: 4000,
  locationTextMaxLength: 200,
} as const;
