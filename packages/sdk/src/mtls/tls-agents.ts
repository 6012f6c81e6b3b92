// node:https agents for the workload's current material, one per expected server SPIFFE ID (Node
// pools sockets by host and TLS options, and the identity check is not one of them: a socket
// verified for one service must never carry a request meant for another). When the material
// changes the agents are replaced; old ones stop pooling, close their idle sockets and let
// requests in flight finish — so a renewal drops no request.
import { Agent } from 'node:https';
import type { PeerCertificate } from 'node:tls';
import { spiffeIdsOf, type WorkloadIdentity, type WorkloadMaterial } from './workload-material.ts';

/** The error code of a server certificate that does not carry the expected SPIFFE ID. */
export const PEER_IDENTITY_MISMATCH = 'ERR_GATEHOUSE_PEER_IDENTITY_MISMATCH';

/**
 * SPIFFE X509-SVID §5.2: a peer is identified by its SPIFFE ID, not by the host name dialled.
 * Chain, validity and CRL were already checked by OpenSSL against the bundle.
 */
export function spiffeIdentityCheck(expected: string) {
  return (_host: string, certificate: PeerCertificate): Error | undefined => {
    if (spiffeIdsOf(certificate.subjectaltname).includes(expected)) return undefined;
    return Object.assign(new Error(`the server certificate does not name ${expected}`), { code: PEER_IDENTITY_MISMATCH });
  };
}

export function tlsContextOptions(material: WorkloadMaterial) {
  return {
    cert: material.certificatePem,
    key: material.privateKeyPem,
    ca: material.bundlePem,
    ...(material.crlPems.length > 0 && { crl: [...material.crlPems] }),
    minVersion: 'TLSv1.2' as const,
  };
}

function retire(agent: Agent): void {
  // Node's agent reads keepAlive whenever a socket frees up: false → the socket closes.
  (agent as unknown as { keepAlive: boolean }).keepAlive = false;
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}

export class TlsAgents {
  readonly #identity: WorkloadIdentity;
  #version = -1;
  #agents = new Map<string, Agent>();
  readonly #unsubscribe: () => void;

  constructor(identity: WorkloadIdentity) {
    this.#identity = identity;
    this.#unsubscribe = identity.onChange(() => this.#retireAll());
  }

  #retireAll(): void {
    for (const agent of this.#agents.values()) retire(agent);
    this.#agents = new Map();
  }

  /** The agent for requests to a server that must present `spiffeId`. */
  agentFor(spiffeId: string): Agent {
    const material = this.#identity.current();
    if (material.version !== this.#version) {
      this.#retireAll();
      this.#version = material.version;
    }
    let agent = this.#agents.get(spiffeId);
    if (agent === undefined) {
      agent = new Agent({ keepAlive: true, ...tlsContextOptions(material), checkServerIdentity: spiffeIdentityCheck(spiffeId) });
      this.#agents.set(spiffeId, agent);
    }
    return agent;
  }

  close(): void {
    this.#unsubscribe();
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents = new Map();
  }
}
