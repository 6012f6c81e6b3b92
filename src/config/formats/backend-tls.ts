// Backend spec.tls → model BackendTls: the trust bundle and CRL are read now (load time), the
// client certificate is either a kubernetes.io/tls Secret or a request to the directory CA that
// the gateway makes at start (src/gateway/forward/renewing-client-certificate.ts).
import type { BackendClientCertificate, BackendTls, SourceRef } from '../../model/gateway-model.ts';
import { parseDurationSeconds } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { checkedBundle, configRelativePath, crlEntries, readPemFile, resolvePemReference } from '../resolve-pem.ts';
import { resolveSecretValues } from '../resolve.ts';
import type { BackendTlsSpec } from '../schemas/backend-tls.ts';

export function translateBackendTls(
  source: SourceRef,
  spec: BackendTlsSpec,
  endpoints: readonly { url: string }[],
  resources: Resources,
  problems: Problems,
): BackendTls | undefined {
  // TLS settings on a cleartext endpoint would be ignored: traffic the user meant to protect.
  endpoints.forEach((endpoint, index) => {
    if (!endpoint.url.startsWith('https:')) problems.at(source, `spec.endpoints[${index}].url`, 'spec.tls is set: the endpoint must be https://');
  });
  const site = { source, path: 'spec.tls.caBundle' };
  const bundle = spec.caBundle;
  const pem =
    bundle.file !== undefined
      ? readPemFile(problems, site, bundle.file)
      : resolvePemReference(resources, problems, site, bundle.configMapRef ? { kind: 'ConfigMap', ...bundle.configMapRef } : { kind: 'Secret', ...bundle.secretRef! });
  const caBundlePem = checkedBundle(problems, site, pem);
  const crlSite = { source, path: 'spec.tls.crl' };
  const crlPems = spec.crl === undefined ? [] : crlEntries(problems, crlSite, readPemFile(problems, crlSite, spec.crl.file));
  const clientCertificate = spec.clientCertificate && translateClientCertificate(source, spec.clientCertificate, resources, problems);
  if (caBundlePem === undefined) return undefined;
  return { caBundlePem, crlPems, expectedSpiffeId: spec.expectedSpiffeId, expectedDnsName: spec.expectedDnsName, clientCertificate };
}

function translateClientCertificate(
  source: SourceRef,
  spec: NonNullable<BackendTlsSpec['clientCertificate']>,
  resources: Resources,
  problems: Problems,
): BackendClientCertificate | undefined {
  if (spec.ca !== undefined) {
    const site = { source, path: 'spec.tls.clientCertificate.ca.dir' };
    return {
      kind: 'ca',
      dir: configRelativePath(site, spec.ca.dir),
      spiffeId: spec.ca.spiffeId,
      dnsNames: spec.ca.dnsNames ?? [],
      ttlSeconds: spec.ca.ttl === undefined ? undefined : parseDurationSeconds(spec.ca.ttl),
    };
  }
  const site = { source, path: 'spec.tls.clientCertificate.secretRef' };
  const values = resolveSecretValues(resources, problems, site, spec.secretRef!.name, 'kubernetes.io/tls', ['tls.crt', 'tls.key']);
  return values && { kind: 'pem', certificatePem: values['tls.crt'], privateKeyPem: values['tls.key'] };
}
