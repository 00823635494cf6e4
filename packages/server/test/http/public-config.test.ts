import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_DEPARTMENTS, DEMO_DEPARTMENT_PHONES, DEMO_EMERGENCY_PHONE, INCIDENT_TEXT_LIMITS } from '@alertautec/core';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ALLOWED_TYPES, MAX_ATTACHMENTS_PER_INCIDENT } from '../../src/incidents/attachments.js';
import { startApp, type TestApp } from '../helpers/app.js';

/** GET /api/config: the limits the web app shows and checks, from the server's own values (config only: one store is enough). */
describe('public configuration', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { EMERGENCY_PHONE: '+51 1 230 5000', ATTACHMENT_MAX_BYTES: '2097152', SLA_CRITICAL_MINUTES: '0.5', ALERTA_TIMEZONE: 'America/Bogota' } });
  });
  after(() => t.close());

  it('answers without a token, with the configured limits and numbers', async () => {
    const answer = await t.request('GET', '/api/config');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body, {
      attachmentMaxBytes: 2_097_152,
      attachmentMaxCount: MAX_ATTACHMENTS_PER_INCIDENT,
      attachmentTypes: Object.keys(ALLOWED_TYPES),
      titleMaxLength: INCIDENT_TEXT_LIMITS.titleMaxLength,
      descriptionMaxLength: INCIDENT_TEXT_LIMITS.descriptionMaxLength,
      locationTextMaxLength: INCIDENT_TEXT_LIMITS.locationTextMaxLength,
      emergencyPhone: '+51 1 230 5000',
      slaMinutes: { critical: 0.5, high: 60, medium: 480, low: 1440 },
      timeZone: 'America/Bogota',
    });
    assert.deepEqual(answer.body.attachmentTypes, ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
  });

  it('is the limit the server enforces: a description one code point over it is refused', async () => {
    const { descriptionMaxLength } = (await t.request('GET', '/api/config')).body;
    const token = await t.adminToken();
    const draft = { category: 'other', urgency: 'low', locationText: 'Patio central' };
    // Code points, not UTF-16 units: an emoji counts once.
    const atLimit = await t.request('POST', '/api/incidents/preview', { token, body: { ...draft, description: '🚰'.repeat(descriptionMaxLength) } });
    assert.equal(atLimit.status, 200, atLimit.text);
    const over = await t.request('POST', '/api/incidents/preview', { token, body: { ...draft, description: 'x'.repeat(descriptionMaxLength + 1) } });
    assert.equal(over.status, 400, over.text);
    assert.ok(over.body.errors.some((error: { path: string }) => error.path === '/description'), over.text);
  });

  it('is in the OpenAPI document', async () => {
    const document = await t.request('GET', '/api/openapi.json');
    assert.ok(document.body.paths['/api/config']?.get, 'GET /api/config is documented');
  });
});

describe('EMERGENCY_PHONE', () => {
  const base = { NODE_ENV: 'test', ALERTA_DEMO: '0' };

  it('is unset by default, and the demo campus brings its own unless one is set', () => {
    assert.equal(loadConfig(base).emergencyPhone, null);
    assert.equal(loadConfig({ ...base, ALERTA_DEMO: '1' }).emergencyPhone, DEMO_EMERGENCY_PHONE);
    assert.equal(loadConfig({ ...base, ALERTA_DEMO: '1', EMERGENCY_PHONE: ' 105 ' }).emergencyPhone, '105');
    assert.equal(loadConfig({ ...base, EMERGENCY_PHONE: '(01) 230-5000' }).emergencyPhone, '(01) 230-5000');
  });

  it('refuses what is not a phone number, naming the variable', () => {
    for (const value of ['call security', '+', '12', 'tel:105', '+51 1 230 5000 ext 3']) {
      assert.throws(() => loadConfig({ ...base, EMERGENCY_PHONE: value }), (error: unknown) => error instanceof ConfigError && error.variable === 'EMERGENCY_PHONE', value);
    }
  });
});

describe('the demo campus', () => {
  let t: TestApp;
  before(async () => {
    t = await startApp({ env: { ALERTA_DEMO: '1' } });
  });
  after(() => t.close());

  it('has an emergency number and a phone for every department', async () => {
    assert.equal((await t.request('GET', '/api/config')).body.emergencyPhone, DEMO_EMERGENCY_PHONE);
    const departments = await t.request('GET', '/api/departments', { token: await t.adminToken() });
    assert.equal(departments.status, 200);
    for (const department of DEFAULT_DEPARTMENTS) {
      const row = departments.body.items.find((item: { name: string }) => item.name === department.name);
      assert.equal(row?.phone, DEMO_DEPARTMENT_PHONES[department.key], department.name);
    }
  });
});
