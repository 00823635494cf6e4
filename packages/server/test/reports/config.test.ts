import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('REPORT_GLOBAL_SCHEDULE', () => {
  it('defaults to hourly, takes a cron expression or off, and refuses anything else naming the variable', () => {
    assert.equal(loadConfig({}).reportGlobalSchedule, '0 * * * *');
    assert.equal(loadConfig({ REPORT_GLOBAL_SCHEDULE: '30 6 * * 1-5' }).reportGlobalSchedule, '30 6 * * 1-5');
    assert.equal(loadConfig({ REPORT_GLOBAL_SCHEDULE: 'OFF' }).reportGlobalSchedule, 'off');
    assert.throws(() => loadConfig({ REPORT_GLOBAL_SCHEDULE: 'every hour' }), (error: unknown) => error instanceof ConfigError && error.variable === 'REPORT_GLOBAL_SCHEDULE');
  });
});
