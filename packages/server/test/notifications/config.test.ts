import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

it('reads SMTP_URL, MAIL_FROM and the link base, and names a bad value', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.mail.smtpUrl, null);
  assert.equal(defaults.mail.from, 'AlertaUTEC <alertas@localhost>');
  assert.equal(defaults.linkBaseUrl, 'http://localhost:3000');
  assert.equal(defaults.publicUrl, null, 'the link default does not turn into a PUBLIC_URL (cookies, HSTS)');

  const set = loadConfig({ SMTP_URL: 'smtps://user:secret@mail.example.edu:465', MAIL_FROM: 'Alertas <alertas@example.edu>', PUBLIC_URL: 'https://alertas.example.edu/' });
  assert.equal(set.mail.smtpUrl, 'smtps://user:secret@mail.example.edu:465');
  assert.equal(set.mail.from, 'Alertas <alertas@example.edu>');
  assert.equal(set.linkBaseUrl, 'https://alertas.example.edu');

  for (const [variable, value] of [
    ['SMTP_URL', 'http://mail.example.edu'],
    ['SMTP_URL', 'not a url'],
    ['MAIL_FROM', 'nobody'],
    ['MAIL_FROM', 'a@b.c\nBcc: x@y.z'],
  ] as const) {
    assert.throws(() => loadConfig({ [variable]: value }), (error: unknown) => error instanceof ConfigError && error.variable === variable, `${variable}=${value}`);
  }
  assert.throws(() => loadConfig({ SMTP_URL: 'smtp://user:hunter2@' }), (error: unknown) => error instanceof ConfigError && !error.message.includes('hunter2'));
});
