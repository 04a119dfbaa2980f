// fastify 5 with a route schema for the reply, as its docs recommend.
import Fastify from 'fastify';
import { greet, PORT } from './common.mjs';

const app = Fastify({ logger: false });
const reply = { 200: { type: 'object', properties: { message: { type: 'string' } } } };
app.get('/helloworld/:name', { schema: { response: reply } }, async (req) => greet(req.params.name));
await app.listen({ port: PORT, host: '127.0.0.1' });
