import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from '../../../server/test/helpers/app.js';
import { launchBrowser } from './browser.js';
import { ensureChromium } from './chromium.js';
import { ensureWebBuild, WEB_DIST } from './web-build.js';

/** The demo campus accounts (seeded with ALERTA_DEMO=1). */
export const DEMO = {
  admin: { email: 'admin@utec.example', password: 'demo-admin-2026' },
  authority: { email: 'autoridad@utec.example', password: 'demo-autoridad-2026' },
  maintenance: { email: 'mantenimiento@utec.example', password: 'demo-staff-2026' },
  student: { email: 'estudiante@utec.example', password: 'demo-estudiante-2026' },
} as const;

export interface WebTest {
  app: TestApp;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Everything a browser test needs: the web app built, Chromium present, a real server
 * with the demo campus serving the build, and a browser. Returns the reason instead when
 * Chromium cannot be had (under CI=true that is a failure, not a skip).
 */
export async function startWebTest(options: { env?: Record<string, string> } = {}): Promise<WebTest | { skip: string }> {
  const chromium = ensureChromium();
  if (!chromium.path) {
    if (process.env.CI === 'true') throw new Error(`browser tests need Chromium: ${chromium.reason}`);
    return { skip: chromium.reason ?? 'no Chromium' };
  }
  await ensureWebBuild();
  const app = await startApp({ env: { ALERTA_DEMO: '1', WEB_DIR: WEB_DIST, ...options.env } });
  const browser = await launchBrowser(chromium.path);
  return {
    app,
    browser,
    close: async () => {
      await browser.close();
      await app.close();
    },
  };
}
