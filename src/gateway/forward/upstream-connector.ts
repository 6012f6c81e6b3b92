// How an endpoint's pool opens connections: plain TCP for http://, and for https:// a TLS
// connector that verifies the service against the Backend's trust bundle, CRL and expected
// SPIFFE ID / DNS name, presenting the gateway's client certificate. A renewed certificate
// replaces the connector: new connections use it, open ones keep theirs (no dropped request).
import { createHash } from 'node:crypto';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { buildConnector } from 'undici';
import type { BackendTls } from '../../model/gateway-model.ts';
import type { GatewayLogger } from '../../observability/logger.ts';
import { RenewingClientCertificate, type ClientCertificatePem } from './renewing-client-certificate.ts';

/** Raised by checkServerIdentity when the service's certificate names someone else. */
export const PEER_IDENTITY_MISMATCH = 'ERR_GATEHOUSE_UPSTREAM_IDENTITY_MISMATCH';
export const CLIENT_CERTIFICATE_UNAVAILABLE = 'ERR_GATEHOUSE_CLIENT_CERTIFICATE_UNAVAILABLE';

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Settings that give an endpoint its identity: equal keys share one pool across reloads. */
export function upstreamTlsKey(tls: BackendTls | undefined): string {
  return tls === undefined ? '' : createHash('sha256').update(JSON.stringify(tls)).digest('base64url');
}

/**
 * The check Node runs after chain verification (which already covers the bundle, validity and
 * CRL): the leaf must carry the expected SPIFFE ID as a URI SAN and/or match the expected DNS
 * name by RFC 6125 rules. The connection's own host is irrelevant: services are named by identity.
 */
function identityCheck(tls: BackendTls): (host: string, certificate: PeerCertificate) => Error | undefined {
  const expectedUri = tls.expectedSpiffeId === undefined ? undefined : `URI:${tls.expectedSpiffeId}`;
  return (_host, certificate) => {
    if (expectedUri !== undefined && !(certificate.subjectaltname ?? '').split(', ').includes(expectedUri)) {
      return codedError(PEER_IDENTITY_MISMATCH, `the upstream certificate does not name ${tls.expectedSpiffeId}`);
    }
    if (tls.expectedDnsName !== undefined) {
      const problem = checkServerIdentity(tls.expectedDnsName, certificate);
      if (problem !== undefined) return codedError(PEER_IDENTITY_MISMATCH, problem.message);
    }
    return undefined;
  };
}

export class UpstreamConnector {
  readonly #tls: BackendTls | undefined;
  readonly #timeoutMs: number;
  readonly #renewing: RenewingClientCertificate | undefined;
  #current: buildConnector.connector | undefined;

  constructor(tls: BackendTls | undefined, timeoutMs: number, logger?: GatewayLogger) {
    this.#tls = tls;
    this.#timeoutMs = timeoutMs;
    const client = tls?.clientCertificate;
    if (client?.kind === 'ca') {
      this.#renewing = new RenewingClientCertificate(client, (certificate) => this.#use(certificate), logger);
    } else {
      this.#use(client);
    }
  }

  #use(certificate: ClientCertificatePem | undefined): void {
    const tls = this.#tls;
    this.#current = buildConnector({
      timeout: this.#timeoutMs,
      ...(tls && {
        ca: tls.caBundlePem,
        crl: tls.crlPems.length > 0 ? tls.crlPems : undefined,
        servername: tls.serverName ?? tls.expectedDnsName,
        checkServerIdentity: identityCheck(tls),
        rejectUnauthorized: true,
        ...(certificate && { cert: certificate.certificatePem, key: certificate.privateKeyPem }),
      }),
    } as buildConnector.BuildOptions);
  }

  /** undici's `connect` option: a stable function whose connector can change underneath. */
  readonly connect = (options: buildConnector.Options, callback: buildConnector.Callback): void => {
    const current = this.#current;
    if (current !== undefined) {
      current(options, callback);
      return;
    }
    // Only before the CA answered for the first time: wait for it, then fail fast if it did not.
    void this.#renewing!.firstAttempt.then(() => {
      if (this.#current !== undefined) this.#current(options, callback);
      else callback(codedError(CLIENT_CERTIFICATE_UNAVAILABLE, 'the gateway has no client certificate from the CA yet'), null);
    });
  };

  close(): void {
    this.#renewing?.close();
  }
}
