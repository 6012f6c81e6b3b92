import { packageVersion, startNodePeer } from './node-peer.ts';
import type { PeerDefinition } from './peer.ts';

export const fastifyJwtPeer: PeerDefinition = {
  id: 'fastify',
  description: 'fastify + @fastify/jwt (public key; iss, aud, alg pinned) + @fastify/reply-from, logger off',
  authenticates: true,
  requiredCommands: [],
  version: () => ['fastify', '@fastify/jwt', '@fastify/reply-from'].map(packageVersion).join(', '),
  start: (env, alg) => startNodePeer('fastify', './fastify-server.ts', env, alg),
};
