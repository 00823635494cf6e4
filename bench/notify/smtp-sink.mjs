// The local SMTP server both senders deliver to (smtp-server, no TLS, no auth, accepting
// everything), in its own process so neither sender shares a core's event loop with it.
// A message has arrived when its DATA ended (just before the 250 reply). It counts
// arrivals and, when asked to track, keeps each message's arrival time under the incident
// it threads to (the `In-Reply-To: <incident-{id}@host>` header the product sets).
import { SMTPServer } from 'smtp-server';

let count = 0;
let firstAt = null;
let lastAt = null;
let tracking = false;
const arrivals = [];

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    let head = '';
    let inHeaders = true;
    stream.on('data', (chunk) => {
      if (!inHeaders) return;
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end !== -1) {
        head = head.slice(0, end);
        inHeaders = false;
      }
    });
    stream.on('end', () => {
      const at = Date.now();
      count += 1;
      firstAt ??= at;
      lastAt = at;
      if (tracking) {
        const thread = /^In-Reply-To:\s*<incident-([^@>]+)@/im.exec(head);
        const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(head);
        arrivals.push({ incidentId: thread?.[1] ?? null, messageId: messageId?.[1] ?? null, at });
      }
      callback();
    });
  },
});

process.on('message', (message) => {
  if (message.type === 'reset') {
    count = 0;
    firstAt = null;
    lastAt = null;
    arrivals.length = 0;
    tracking = Boolean(message.track);
    process.send({ type: 'reset' });
  } else if (message.type === 'count') {
    process.send({ type: 'count', count, firstAt, lastAt });
  } else if (message.type === 'arrivals') {
    process.send({ type: 'arrivals', count, arrivals });
  }
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.server.address().port }));
