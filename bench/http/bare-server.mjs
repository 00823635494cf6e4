// The baseline: a bare Fastify route that parses a JSON body and answers JSON, nothing else.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async (request, reply) => reply.code(201).send({ id: 'x', received: Object.keys(request.body).length }));
await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ port: app.server.address().port });
