// HTTPS listeners that share one socket (Gateway API: several listeners on 443 with their own
// hostname and certificate) are told apart during the TLS handshake by SNI (RFC 6066 §3): the
// exact hostname first, then the most specific `*.` wildcard, else the socket's default
// certificate (the first listener's).
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import type { ClientValidation } from '../model/gateway-model.ts';

export interface ListenerCertificate {
  /** Gateway listener hostname, exact or `*.example.com`; undefined = any. */
  hostname?: string;
  certificatePem: string;
  privateKeyPem: string;
  /** Client certificates this listener verifies (the CA store is part of the TLS context). */
  clientValidation?: ClientValidation;
}

/** The TLS context options of one listener: its certificate and, for mTLS, whom it trusts. */
export function secureContextOptions(certificate: ListenerCertificate): SecureContextOptions {
  const validation = certificate.clientValidation;
  return {
    cert: certificate.certificatePem,
    key: certificate.privateKeyPem,
    ...(validation && { ca: validation.caBundlePem, crl: validation.crlPems.length > 0 ? validation.crlPems : undefined }),
  };
}

export class SniCertificates {
  private exact = new Map<string, SecureContext>();
  /** Wildcard suffixes (`.example.com`), longest first. */
  private wildcards: [suffix: string, context: SecureContext][] = [];

  constructor(certificates: readonly ListenerCertificate[]) {
    this.update(certificates);
  }

  /** Replaces the certificates (a reload); handshakes under way keep the context they chose. */
  update(certificates: readonly ListenerCertificate[]): void {
    const exact = new Map<string, SecureContext>();
    const wildcards: [string, SecureContext][] = [];
    for (const certificate of certificates) {
      const hostname = certificate.hostname?.toLowerCase();
      if (hostname === undefined) continue;
      const context = createSecureContext(secureContextOptions(certificate));
      if (hostname.startsWith('*.')) wildcards.push([hostname.slice(1), context]);
      else if (!exact.has(hostname)) exact.set(hostname, context);
    }
    wildcards.sort((a, b) => b[0].length - a[0].length);
    this.exact = exact;
    this.wildcards = wildcards;
  }

  /** The context for a handshake's server name; undefined = the server's default certificate. */
  select(serverName: string): SecureContext | undefined {
    const name = serverName.toLowerCase();
    const exact = this.exact.get(name);
    if (exact !== undefined) return exact;
    // A wildcard covers exactly one more label (RFC 6125 §6.4.3).
    for (const [suffix, context] of this.wildcards) {
      if (name.endsWith(suffix) && !name.slice(0, -suffix.length).includes('.')) return context;
    }
    return undefined;
  }

  readonly callback = (serverName: string, done: (error: Error | null, context?: SecureContext) => void): void => {
    done(null, this.select(serverName));
  };
}
