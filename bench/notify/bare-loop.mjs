// The baseline: a bare nodemailer loop sending the same e-mails the product just sent (read
// from its outbox: addresses, subjects, text, HTML, Message-ID and threading headers built
// as channels/email.ts builds them) to the same SMTP sink, with nothing else around it.
// BENCH_POOL=one: pool: true, maxConnections: 1, one message at a time (the issue's
// baseline). BENCH_POOL=product: the product's transport options (pool: true,
// maxConnections: 4, its timeouts) and 4 messages in flight, like 4 delivery jobs.
import { openStore } from '@alertautec/server';
import nodemailer from 'nodemailer';

const host = 'localhost'; // the host of PUBLIC_URL's default, as the product uses it
const from = 'AlertaUTEC <alertas@localhost>'; // MAIL_FROM's default
const store = await openStore({ databaseUrl: null, dataDir: process.env.BENCH_DATA_DIR });
const rows = await store.db.selectFrom('notifications').selectAll().where('channel', '=', 'email').where('status', '=', 'sent').orderBy('created_at').orderBy('id').execute();
await store.close();

const product = process.env.BENCH_POOL === 'product';
const transport = nodemailer.createTransport({
  host: '127.0.0.1',
  port: Number(process.env.BENCH_SMTP_PORT),
  secure: false,
  pool: true,
  maxConnections: product ? 4 : 1,
  ...(product && { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
});
const inFlight = product ? 4 : 1;

const mail = (row) => {
  const root = row.incident_id ? `<incident-${row.incident_id}@${host}>` : null;
  return {
    from,
    to: row.to_address,
    subject: row.subject,
    text: row.body,
    ...(row.html ? { html: row.html } : {}),
    messageId: `<${row.id}@${host}>`,
    ...(root ? { inReplyTo: root, references: root } : {}),
    headers: { 'Content-Language': row.language },
  };
};

process.on('message', async (message) => {
  if (message.type !== 'go') return;
  const startedAt = Date.now();
  let next = 0;
  let failures = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      await transport.sendMail(mail(row)).catch(() => (failures += 1));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const endedAt = Date.now();
  transport.close();
  process.send({ type: 'go', startedAt, endedAt, sent: rows.length - failures, failures });
});
process.send({ type: 'ready', messages: rows.length });
