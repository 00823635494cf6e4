import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PermanentDeliveryError, TemporaryDeliveryError, type OutgoingMessage } from '../../src/notifications/channels/channel.js';
import { createSmsChannel, retryAfterMs, smsBody } from '../../src/notifications/channels/sms.js';
import { startHttpEndpoint, type ArrivedRequest, type HttpEndpoint } from '../helpers/http-endpoint.js';
import { freePort } from '../helpers/process.js';

/**
 * The SMS channel against a real HTTP endpoint on 127.0.0.1: what Node's fetch actually puts
 * on the wire, and how each kind of answer (or no answer) is classified for the retry.
 */
type Received = ArrivedRequest;

type Responder = (request: Received, response: http.ServerResponse) => void;

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: 'ntf_01HZX0SMS',
    channel: 'sms',
    to: '+51987654321',
    language: 'es',
    subject: 'Incidente crítico en Pabellón A',
    text: 'Incidente crítico en Pabellón A: fuga de gas. https://alertas.example.edu/incidents/inc_1',
    incidentId: 'inc_1',
    ...overrides,
  };
}

const never = new AbortController().signal;

describe('SMS channel', () => {
  let endpoint: HttpEndpoint;
  let baseUrl: string;
  let respond: Responder = (_request, response) => response.end();
  const received: Received[] = [];

  before(async () => {
    endpoint = await startHttpEndpoint((request, response) => {
      received.push(request);
      respond(request, response);
    });
    baseUrl = endpoint.url;
  });
  after(() => endpoint.close());

  function answer(status: number, headers: Record<string, string> = {}, body = ''): Responder {
    return (_request, response) => {
      response.writeHead(status, headers);
      response.end(body);
    };
  }

  it('posts {to, body} as JSON with the outbox id as Idempotency-Key, and keeps the provider id', async () => {
    received.length = 0;
    respond = answer(202, { 'content-type': 'application/json' }, JSON.stringify({ id: 'SM123' }));
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms/send?account=campus` });

    const result = await channel.send(message({ to: '+51 987-654-321' }), never);

    assert.equal(channel.name, 'sms');
    assert.deepEqual(result, { providerId: 'SM123' });
    assert.equal(received.length, 1);
    const [request] = received;
    assert.equal(request!.method, 'POST');
    assert.equal(request!.url, '/sms/send?account=campus');
    assert.match(request!.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(request!.headers['idempotency-key'], 'ntf_01HZX0SMS');
    assert.equal(request!.headers.authorization, undefined);
    assert.deepEqual(JSON.parse(request!.body), {
      to: '+51987654321',
      body: 'Incidente crítico en Pabellón A: fuga de gas. https://alertas.example.edu/incidents/inc_1',
    });
  });

  it('sends credentials in the webhook URL as Basic auth, never in the request line', async () => {
    received.length = 0;
    respond = answer(200);
    const channel = createSmsChannel({ webhookUrl: `${baseUrl.replace('http://', 'http://campus:s%3Acret@')}/sms` });

    assert.deepEqual(await channel.send(message(), never), { providerId: undefined });
    assert.equal(received[0]!.url, '/sms');
    assert.equal(received[0]!.headers.authorization, `Basic ${Buffer.from('campus:s:cret').toString('base64')}`);
  });

  it('a 500 is temporary, and the error carries what the provider said', async () => {
    respond = answer(500, {}, 'upstream carrier down');
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms` });
    await assert.rejects(channel.send(message(), never), (error: unknown) => {
      assert.ok(error instanceof TemporaryDeliveryError, String(error));
      assert.match(error.message, /500: upstream carrier down/);
      assert.equal(error.retryAfterMs, undefined);
      return true;
    });
  });

  it('a 429 is temporary and passes on Retry-After, in seconds or as a date', async () => {
    respond = answer(429, { 'retry-after': '30' });
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms` });
    await assert.rejects(channel.send(message(), never), (error: unknown) => error instanceof TemporaryDeliveryError && error.retryAfterMs === 30_000);

    const now = Date.parse('2025-03-01T12:00:00Z');
    respond = answer(429, { 'retry-after': 'Sat, 01 Mar 2025 12:02:00 GMT' });
    const dated = createSmsChannel({ webhookUrl: `${baseUrl}/sms`, now: () => now });
    await assert.rejects(dated.send(message(), never), (error: unknown) => error instanceof TemporaryDeliveryError && error.retryAfterMs === 120_000);

    assert.equal(retryAfterMs('soon', now), undefined);
    assert.equal(retryAfterMs('Sat, 01 Mar 2025 11:00:00 GMT', now), 0);
  });

  for (const status of [400, 401, 403, 404, 422]) {
    it(`a ${status} is permanent`, async () => {
      respond = answer(status, { 'content-type': 'application/json' }, JSON.stringify({ error: 'invalid number' }));
      const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms` });
      await assert.rejects(channel.send(message(), never), (error: unknown) => {
        assert.ok(error instanceof PermanentDeliveryError, String(error));
        assert.match(error.message, new RegExp(`answered ${status}: .*invalid number`));
        return true;
      });
    });
  }

  it('a redirect is not followed (the POST would become a GET) and counts as permanent', async () => {
    received.length = 0;
    respond = answer(302, { location: `${baseUrl}/elsewhere` });
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms` });
    await assert.rejects(channel.send(message(), never), PermanentDeliveryError);
    assert.deepEqual(
      received.map((request) => request.url),
      ['/sms'],
    );
  });

  it('a number that is not E.164 is permanent and nothing is sent', async () => {
    received.length = 0;
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms` });
    await assert.rejects(channel.send(message({ to: 'call me maybe' }), never), PermanentDeliveryError);
    assert.equal(received.length, 0);
  });

  it('a refused connection is temporary', async () => {
    // A port that was just ours and is now closed: nothing listens there.
    const port = await freePort();

    const channel = createSmsChannel({ webhookUrl: `http://127.0.0.1:${port}/sms` });
    await assert.rejects(channel.send(message(), never), (error: unknown) => {
      assert.ok(error instanceof TemporaryDeliveryError, String(error));
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  it('a server that never answers is temporary once the timeout passes', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    respond = () => arrived(); // Reads the request, never writes a byte back.
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms`, timeoutMs: 200 });

    const sending = channel.send(message(), never);
    await requestArrived;
    await assert.rejects(sending, (error: unknown) => {
      assert.ok(error instanceof TemporaryDeliveryError, String(error));
      assert.match(error.message, /did not answer within 200 ms/);
      return true;
    });
  });

  it('the caller’s abort stops the request and its reason comes back unchanged', async () => {
    let arrived!: () => void;
    const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    respond = () => arrived();
    const controller = new AbortController();
    const channel = createSmsChannel({ webhookUrl: `${baseUrl}/sms`, timeoutMs: 60_000 });

    const sending = channel.send(message(), controller.signal);
    await requestArrived;
    const reason = new Error('lease lost');
    controller.abort(reason);
    await assert.rejects(sending, (error: unknown) => error === reason);
  });

  it('keeps a long text short: subject and link, or the text cut with an ellipsis', () => {
    const link = 'https://alertas.example.edu/incidents/inc_1';
    const long = `${'Detalle largo del incidente. '.repeat(30)}${link}`;
    assert.equal(smsBody({ subject: 'Incidente crítico', text: long }), `Incidente crítico ${link}`);
    assert.equal(smsBody({ subject: 'S'.repeat(600), text: long }).length, 480);
    assert.ok(smsBody({ subject: 'S'.repeat(600), text: long }).endsWith(`… ${link}`));
    const noLink = smsBody({ subject: 'x', text: 'palabra '.repeat(100) });
    assert.equal(noLink.length, 480);
    assert.ok(noLink.endsWith('…'));
    assert.equal(smsBody({ subject: 'Asunto', text: '  línea 1\n\n  línea 2 ' }), 'línea 1 línea 2');
  });

  it('SMS_WEBHOOK_URL must be an http(s) URL', () => {
    assert.equal(loadConfig({}).smsWebhookUrl, null);
    assert.equal(loadConfig({ SMS_WEBHOOK_URL: 'https://sms.example.edu/send' }).smsWebhookUrl, 'https://sms.example.edu/send');
    for (const bad of ['not a url', 'ftp://sms.example.edu/send']) {
      assert.throws(() => loadConfig({ SMS_WEBHOOK_URL: bad }), (error: unknown) => error instanceof ConfigError && error.variable === 'SMS_WEBHOOK_URL', bad);
    }
  });
});
