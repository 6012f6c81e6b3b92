import { packageVersion, startNodePeer } from './node-peer.ts';
import type { PeerDefinition } from './peer.ts';

export const nodeReferencePeer: PeerDefinition = {
  id: 'node-reference',
  description:
    'reference only: plain node:http + jose jwtVerify (iss, aud, alg pinned) with a verified-token cache + undici Pool; ' +
    'no routing, policy, logs or metrics (the lab shape issue 7 quotes)',
  authenticates: true,
  requiredCommands: [],
  version: () => `${process.version}, ${['jose', 'undici', 'lru-cache'].map(packageVersion).join(', ')}`,
  start: (env, alg) => startNodePeer('node-reference', './node-reference-server.ts', env, alg),
};
