// The settings the harness hands to the Node peer servers (fastify, express) it runs as child
// processes: one JSON object in an environment variable, so the server files stay plain programs.
import type { BenchAlgorithm } from '../tokens.ts';

export const NODE_PEER_CONFIG_VARIABLE = 'BENCH_PEER_CONFIG';

export interface NodePeerConfig {
  port: number;
  upstreamUrl: string;
  issuer: string;
  audience: string;
  algorithm: BenchAlgorithm;
  /** SPKI PEM of the issuer key (fastify). */
  publicKeyPem: string;
  /** The issuer's JWKS endpoint (express + jwks-rsa). */
  jwksUrl: string;
}

export function readNodePeerConfig(): NodePeerConfig {
  const text = process.env[NODE_PEER_CONFIG_VARIABLE];
  if (!text) throw new Error(`${NODE_PEER_CONFIG_VARIABLE} is not set: this server is started by bench/run.ts`);
  return JSON.parse(text) as NodePeerConfig;
}
