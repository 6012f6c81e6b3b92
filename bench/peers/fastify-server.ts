// The fastify peer as a team would write it: @fastify/jwt verifying with the issuer's public
// key (issuer, audience and algorithm pinned), then @fastify/reply-from to the upstream.
import Fastify from 'fastify';
import fastifyJwt from '@fastify/jwt';
import replyFrom from '@fastify/reply-from';
import { readNodePeerConfig } from './node-peer-config.ts';

const config = readNodePeerConfig();
const app = Fastify({ logger: false });
await app.register(fastifyJwt, {
  secret: { public: config.publicKeyPem },
  verify: { algorithms: [config.algorithm], allowedIss: config.issuer, allowedAud: config.audience },
});
await app.register(replyFrom, { base: config.upstreamUrl });
app.addHook('onRequest', async (request) => {
  await request.jwtVerify();
});
app.all('/*', (request, reply) => reply.from(request.url));
await app.listen({ port: config.port, host: '127.0.0.1' });
