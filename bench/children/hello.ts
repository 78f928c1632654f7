/**
 * The idle-memory baseline: a bare Fastify hello world, nothing else
 * loaded. Prints its URL the way `reporthub serve` does.
 */
import Fastify from 'fastify';

const app = Fastify();
app.get('/', async () => ({ hello: 'world' }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`hello world listening on ${url}\n`);
process.once('SIGTERM', () => void app.close());
