import { packageVersion, startNodePeer } from './node-peer.ts';
import type { PeerDefinition } from './peer.ts';

export const expressJwtPeer: PeerDefinition = {
  id: 'express',
  description: 'express + express-jwt + jwks-rsa (cached JWKS; iss, aud, alg pinned) + http-proxy-middleware (keep-alive agent)',
  authenticates: true,
  requiredCommands: [],
  version: () => ['express', 'express-jwt', 'jwks-rsa', 'http-proxy-middleware'].map(packageVersion).join(', '),
  start: (env, alg) => startNodePeer('express', './express-server.ts', env, alg),
};
