// Gateway API listener tls.frontendValidation (GEP-91) → model ClientValidation: the CA bundles
// client certificates must chain to, and — a Gatehouse option, `tls.options` being the Gateway
// API's place for implementation-specific settings — a CRL file.
import type { ClientValidation, SourceRef } from '../../model/gateway-model.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { checkedBundle, crlEntries, readPemFile, resolvePemReference } from '../resolve-pem.ts';
import type { GatewayResource } from '../schemas/gateway.ts';

/** tls.options key naming a CRL PEM file (relative to the config file), e.g. `gatehouse ca crl` output. */
export const CLIENT_CRL_OPTION = 'gatehouse.dev/client-crl-file';

type ListenerTls = NonNullable<GatewayResource['spec']['listeners'][number]['tls']>;

export function translateFrontendValidation(source: SourceRef, path: string, tls: ListenerTls, resources: Resources, problems: Problems): ClientValidation | undefined {
  const validation = tls.frontendValidation;
  const crlFile = tls.options?.[CLIENT_CRL_OPTION];
  if (validation === undefined) {
    if (crlFile !== undefined) problems.at(source, `${path}.options`, `${CLIENT_CRL_OPTION} needs tls.frontendValidation`);
    return undefined;
  }
  const bundles = validation.caCertificateRefs.map((ref, index) => {
    const site = { source, path: `${path}.frontendValidation.caCertificateRefs[${index}]` };
    return checkedBundle(problems, site, resolvePemReference(resources, problems, site, { kind: ref.kind ?? 'ConfigMap', name: ref.name }));
  });
  const crlSite = { source, path: `${path}.options["${CLIENT_CRL_OPTION}"]` };
  const crlPems = crlFile === undefined ? [] : crlEntries(problems, crlSite, readPemFile(problems, crlSite, crlFile));
  if (bundles.some((bundle) => bundle === undefined)) return undefined;
  return { caBundlePem: bundles.join(''), crlPems, mode: validation.mode ?? 'AllowValidOnly' };
}
