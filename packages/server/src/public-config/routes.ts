import { PublicConfig } from '@alertautec/core/schemas';
import type { Config } from '../config.js';
import type { App } from '../http/types.js';
import { presentPublicConfig } from './presenter.js';

/** `GET /api/config`: public (no token), so the sign-in and report pages can read it alike. */
export function publicConfigRoutes(app: App, config: Config) {
  const body = presentPublicConfig(config);
  app.get(
    '/api/config',
    {
      config: { auth: 'public' },
      schema: { tags: ['config'], summary: 'Limits and numbers the web app shows and checks (public)', response: { 200: PublicConfig } },
    },
    async () => body,
  );
}
