// Client certificates at the edge (Gateway API frontendValidation, GEP-91): the server options
// that make the TLS handshake ask for one and, in AllowValidOnly mode, refuse a client whose
// certificate is missing or does not verify. In AllowInsecureFallback mode the client is let in
// without a peer identity, and AuthorizationPolicy decides (docs/mtls.md).
import type { ClientValidation } from '../model/gateway-model.ts';

export function clientCertificateOptions(validation: ClientValidation | undefined): { requestCert: boolean; rejectUnauthorized: boolean } {
  if (validation === undefined) return { requestCert: false, rejectUnauthorized: false };
  return { requestCert: true, rejectUnauthorized: validation.mode === 'AllowValidOnly' };
}

export function sameClientValidation(a: ClientValidation | undefined, b: ClientValidation | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.mode === b.mode && a.caBundlePem === b.caBundlePem && a.crlPems.join('') === b.crlPems.join('');
}
