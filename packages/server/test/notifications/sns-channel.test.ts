import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { SNSClient } from '@aws-sdk/client-sns';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PermanentDeliveryError, TemporaryDeliveryError, type OutgoingMessage } from '../../src/notifications/channels/channel.js';
import { createSnsChannel, snsSubject } from '../../src/notifications/channels/sns.js';
import { startHttpEndpoint, type HttpEndpoint } from '../helpers/http-endpoint.js';
import { freePort } from '../helpers/process.js';

/**
 * The SNS channel with the real AWS SDK v3 client, its endpoint pointed at an HTTP server on
 * 127.0.0.1 that reads the form-encoded query protocol the SDK sends (Action=Publish&…) and
 * answers as SNS does, in XML.
 */
const TOPIC = 'arn:aws:sns:sa-east-1:123456789012:alertas-utec';
const CREDENTIALS = { accessKeyId: 'AKIDTESTALERTA', secretAccessKey: 'test-secret' };

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  form: URLSearchParams;
}

type Responder = (request: Received, response: http.ServerResponse) => void;

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: 'ntf_01HZX0SNS',
    channel: 'sns',
    to: TOPIC,
    language: 'es',
    subject: '¡Incidente crítico! Fuga de gas en Pabellón A',
    text: 'Incidente crítico en Pabellón A: fuga de gas.\nhttps://alertas.example.edu/incidents/inc_1',
    incidentId: 'inc_1',
    attributes: { urgency: 'critical', category: 'safety', incidentId: 'inc_1' },
    ...overrides,
  };
}

function published(messageId: string): Responder {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></PublishResponse>`,
    );
  };
}

function failed(status: number, type: 'Sender' | 'Receiver', code: string, text: string): Responder {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'text/xml' });
    response.end(
      `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${text}</Message></Error>` +
        `<RequestId>req-2</RequestId></ErrorResponse>`,
    );
  };
}

/** The message attributes in the form body, by name: `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}`. */
function attributesOf(form: URLSearchParams): Record<string, { type: string | null; value: string | null }> {
  const attributes: Record<string, { type: string | null; value: string | null }> = {};
  for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
    attributes[form.get(`MessageAttributes.entry.${n}.Name`)!] = {
      type: form.get(`MessageAttributes.entry.${n}.Value.DataType`),
      value: form.get(`MessageAttributes.entry.${n}.Value.StringValue`),
    };
  }
  return attributes;
}

const never = new AbortController().signal;

describe('SNS channel', () => {
  let local: HttpEndpoint;
  let endpoint: string;
  let respond: Responder = published('unused');
  const received: Received[] = [];

  before(async () => {
    local = await startHttpEndpoint((request, response) => {
      const entry = { url: request.url, headers: request.headers, form: new URLSearchParams(request.body) };
      received.push(entry);
      respond(entry, response);
    });
    endpoint = local.url;
  });
  after(() => local.close());

  /** The SDK's client as a deployment would configure it, but aimed at the local server. */
  function client(): SNSClient {
    return new SNSClient({ endpoint, region: 'sa-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  }

  it('publishes to the topic with a sanitized subject, the text, and urgency, category and incidentId as String attributes', async () => {
    received.length = 0;
    respond = published('6f2c1e2a-0000-4000-8000-000000000001');
    const channel = createSnsChannel({ topicArn: TOPIC, client: client() });

    const result = await channel.send(message(), never);

    assert.equal(channel.name, 'sns');
    assert.deepEqual(result, { providerId: '6f2c1e2a-0000-4000-8000-000000000001' });
    assert.equal(received.length, 1);
    const [{ form, headers }] = received as [Received];
    assert.match(headers['content-type'] ?? '', /^application\/x-www-form-urlencoded/);
    assert.match(headers.authorization ?? '', /Credential=AKIDTESTALERTA\/\d{8}\/sa-east-1\/sns\/aws4_request/);
    assert.equal(form.get('Action'), 'Publish');
    assert.equal(form.get('Version'), '2010-03-31');
    assert.equal(form.get('TopicArn'), TOPIC);
    assert.equal(form.get('Message'), 'Incidente crítico en Pabellón A: fuga de gas.\nhttps://alertas.example.edu/incidents/inc_1');
    assert.equal(form.get('Subject'), 'Incidente critico! Fuga de gas en Pabellon A');
    assert.deepEqual(attributesOf(form), {
      urgency: { type: 'String', value: 'critical' },
      category: { type: 'String', value: 'safety' },
      incidentId: { type: 'String', value: 'inc_1' },
    });
    // A standard topic takes no deduplication fields.
    assert.equal(form.get('MessageDeduplicationId'), null);
    assert.equal(form.get('MessageGroupId'), null);
  });

  it('on a FIFO topic the outbox id is the deduplication id and the incident is the group', async () => {
    received.length = 0;
    respond = published('fifo-1');
    const fifo = 'arn:aws:sns:sa-east-1:123456789012:alertas-utec.fifo';
    const channel = createSnsChannel({ topicArn: fifo, client: client() });

    assert.deepEqual(await channel.send(message({ to: fifo }), never), { providerId: 'fifo-1' });
    assert.equal(received[0]!.form.get('TopicArn'), fifo);
    assert.equal(received[0]!.form.get('MessageDeduplicationId'), 'ntf_01HZX0SNS');
    assert.equal(received[0]!.form.get('MessageGroupId'), 'inc_1');
  });

  it('a subject SNS would refuse is made printable ASCII under 100 characters, or left out', () => {
    assert.equal(snsSubject('Línea 1\nlínea 2\t“ñandú” — señal…'), 'Linea 1 linea 2 "nandu" - senal...');
    const long = snsSubject(`Incidente ${'muy '.repeat(40)}grave`);
    assert.ok(long.length <= 99 && long.endsWith('...'), long);
    assert.equal(snsSubject('🚨🚨'), '');
  });

  for (const [status, code] of [
    [400, 'InvalidParameter'],
    [400, 'InvalidParameterValue'],
    [404, 'NotFound'],
    [403, 'AuthorizationError'],
    [400, 'KMSDisabled'],
  ] as const) {
    it(`${code} (${status}) is permanent`, async () => {
      respond = failed(status, 'Sender', code, `${code}: the request was refused`);
      const channel = createSnsChannel({ topicArn: TOPIC, client: client() });
      await assert.rejects(channel.send(message(), never), (error: unknown) => {
        assert.ok(error instanceof PermanentDeliveryError, String(error));
        assert.match(error.message, new RegExp(`^SNS ${code}(Exception)? \\(${status}\\): ${code}: the request was refused`));
        return true;
      });
    });
  }

  for (const [status, type, code] of [
    [400, 'Sender', 'Throttling'],
    [500, 'Receiver', 'InternalError'],
    [503, 'Receiver', 'ServiceUnavailable'],
  ] as const) {
    it(`${code} (${status}) is temporary`, async () => {
      respond = failed(status, type, code, 'try again later');
      const channel = createSnsChannel({ topicArn: TOPIC, client: client() });
      await assert.rejects(channel.send(message(), never), (error: unknown) => {
        assert.ok(error instanceof TemporaryDeliveryError, String(error));
        assert.match(error.message, new RegExp(`^SNS ${code}`));
        return true;
      });
    });
  }

  it('a bare 500 without an SNS error body is temporary', async () => {
    respond = (_request, response) => {
      response.writeHead(500);
      response.end();
    };
    const channel = createSnsChannel({ topicArn: TOPIC, client: client() });
    await assert.rejects(channel.send(message(), never), TemporaryDeliveryError);
  });

  it('a refused connection is temporary', async () => {
    // A port that was just ours and is now closed: nothing listens there.
    const port = await freePort();

    const refused = new SNSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'sa-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    const channel = createSnsChannel({ topicArn: TOPIC, client: refused });
    await assert.rejects(channel.send(message(), never), (error: unknown) => {
      assert.ok(error instanceof TemporaryDeliveryError, String(error));
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  it('an endpoint that never answers is temporary once the timeout passes; the caller’s abort comes back unchanged', async () => {
    let arrived!: () => void;
    let requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    respond = () => arrived(); // Reads the request, never answers.

    const channel = createSnsChannel({ topicArn: TOPIC, client: client(), timeoutMs: 200 });
    const sending = channel.send(message(), never);
    await requestArrived;
    await assert.rejects(sending, (error: unknown) => {
      assert.ok(error instanceof TemporaryDeliveryError, String(error));
      assert.match(error.message, /did not answer within 200 ms/);
      return true;
    });

    requestArrived = new Promise<void>((resolve) => (arrived = resolve));
    const controller = new AbortController();
    const patient = createSnsChannel({ topicArn: TOPIC, client: client(), timeoutMs: 60_000 });
    const aborted = patient.send(message(), controller.signal);
    await requestArrived;
    const reason = new Error('worker stopping');
    controller.abort(reason);
    await assert.rejects(aborted, (error: unknown) => error === reason);
  });

  /** Sets AWS_* variables for one test only and puts the old values back. */
  async function withEnv(values: Record<string, string | undefined>, run: () => Promise<void>): Promise<void> {
    const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    try {
      await run();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  const noAwsFiles = { AWS_CONFIG_FILE: '/nonexistent/alerta-aws-config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/alerta-aws-credentials', AWS_PROFILE: undefined };

  it('without a client it builds the SDK’s own: AWS_ENDPOINT_URL_SNS, AWS_REGION and credentials apply, and the SDK does not retry by itself', async () => {
    await withEnv(
      {
        ...noAwsFiles,
        AWS_ENDPOINT_URL_SNS: endpoint,
        AWS_REGION: 'us-west-2',
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: 'secret-from-env',
        AWS_SESSION_TOKEN: undefined,
      },
      async () => {
        const topic = 'arn:aws:sns:us-west-2:123456789012:alertas-utec';
        const channel = createSnsChannel({ topicArn: topic });

        received.length = 0;
        respond = published('from-env-1');
        assert.deepEqual(await channel.send(message({ to: topic }), never), { providerId: 'from-env-1' });
        assert.equal(received.length, 1);
        assert.equal(received[0]!.form.get('TopicArn'), topic);
        assert.match(received[0]!.headers.authorization ?? '', /Credential=AKIDFROMENV\/\d{8}\/us-west-2\/sns\/aws4_request/);

        // Throttled: one request only. The delivery job owns retries and their backoff.
        received.length = 0;
        respond = failed(400, 'Sender', 'Throttling', 'Rate exceeded');
        await assert.rejects(channel.send(message({ to: topic }), never), TemporaryDeliveryError);
        assert.equal(received.length, 1);
      },
    );
  });

  it('with no region configured anywhere, the topic’s own region is used', async () => {
    await withEnv(
      {
        ...noAwsFiles,
        AWS_ENDPOINT_URL_SNS: endpoint,
        AWS_REGION: undefined,
        AWS_DEFAULT_REGION: undefined,
        AWS_ACCESS_KEY_ID: 'AKIDFROMENV',
        AWS_SECRET_ACCESS_KEY: 'secret-from-env',
        AWS_SESSION_TOKEN: undefined,
      },
      async () => {
        received.length = 0;
        respond = published('from-arn-region');
        const channel = createSnsChannel({ topicArn: TOPIC });
        assert.deepEqual(await channel.send(message(), never), { providerId: 'from-arn-region' });
        assert.match(received[0]!.headers.authorization ?? '', /\/sa-east-1\/sns\/aws4_request/);
      },
    );
  });

  it('SNS_TOPIC_ARN must be a topic ARN', () => {
    assert.equal(loadConfig({}).snsTopicArn, null);
    assert.equal(loadConfig({ SNS_TOPIC_ARN: TOPIC }).snsTopicArn, TOPIC);
    assert.equal(loadConfig({ SNS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts.fifo' }).snsTopicArn, 'arn:aws:sns:us-east-1:123456789012:alerts.fifo');
    for (const bad of ['alertas-utec', 'arn:aws:sqs:us-east-1:123456789012:queue', 'arn:aws:sns:us-east-1:1234:alerts', 'arn:aws:sns:us-east-1:123456789012:']) {
      assert.throws(() => loadConfig({ SNS_TOPIC_ARN: bad }), (error: unknown) => error instanceof ConfigError && error.variable === 'SNS_TOPIC_ARN', bad);
    }
  });
});
