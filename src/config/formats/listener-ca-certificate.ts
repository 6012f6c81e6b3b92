// An HTTPS listener whose own certificate comes from the Gatehouse directory CA instead of a
// Secret — the gateway requests it at start (key made locally, CSR) and renews it at two thirds
// of its lifetime. Named in listener tls.options, the Gateway API's place for
// implementation-specific settings (docs/pki.md):
//   gatehouse.dev/certificate-ca-dir     the CA directory, relative to this config file
//   gatehouse.dev/certificate-spiffe-id  the gateway's SPIFFE ID (URI SAN)
//   gatehouse.dev/certificate-dns-names  comma-separated DNS SANs clients will dial
//   gatehouse.dev/certificate-ttl        leaf lifetime (default: the CA's, 24h)
import type { ListenerCaCertificate, SourceRef } from '../../model/gateway-model.ts';
import { isDuration, parseDurationSeconds } from '../duration.ts';
import type { Problems } from '../problems.ts';
import { configRelativePath } from '../resolve-pem.ts';

export const CERTIFICATE_CA_DIR_OPTION = 'gatehouse.dev/certificate-ca-dir';
const SPIFFE_ID_OPTION = 'gatehouse.dev/certificate-spiffe-id';
const DNS_NAMES_OPTION = 'gatehouse.dev/certificate-dns-names';
const TTL_OPTION = 'gatehouse.dev/certificate-ttl';

export function translateListenerCaCertificate(
  source: SourceRef,
  path: string,
  options: Readonly<Record<string, string>> | undefined,
  problems: Problems,
): ListenerCaCertificate | undefined {
  const dir = options?.[CERTIFICATE_CA_DIR_OPTION];
  const related = [SPIFFE_ID_OPTION, DNS_NAMES_OPTION, TTL_OPTION].filter((key) => options?.[key] !== undefined);
  if (dir === undefined) {
    if (related.length > 0) problems.at(source, `${path}.options`, `${related[0]} needs ${CERTIFICATE_CA_DIR_OPTION}`);
    return undefined;
  }
  const spiffeId = options?.[SPIFFE_ID_OPTION];
  if (spiffeId === undefined || !spiffeId.startsWith('spiffe://')) {
    problems.at(source, `${path}.options`, `${SPIFFE_ID_OPTION} must name the gateway's spiffe:// ID`);
    return undefined;
  }
  const ttl = options?.[TTL_OPTION];
  if (ttl !== undefined && !isDuration(ttl)) {
    problems.at(source, `${path}.options["${TTL_OPTION}"]`, 'must be a duration such as 1h or 24h');
    return undefined;
  }
  const dnsNames = (options?.[DNS_NAMES_OPTION] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
  return {
    dir: configRelativePath({ source, path: `${path}.options` }, dir),
    spiffeId,
    dnsNames,
    ...(ttl !== undefined && { ttlSeconds: parseDurationSeconds(ttl) }),
  };
}
