// Gateway API BackendTLSPolicy → the same model BackendTls a Backend's spec.tls gives. It targets
// a Service, which Gatehouse serves through the gatehouse.dev Backend of the same name.
// Gateway API semantics: `hostname` is the SNI, and the certificate must match it — unless
// subjectAltNames are listed, in which case it must carry one of those instead.
import { rootCertificates } from 'node:tls';
import type { Backend, BackendTls, SourceRef } from '../../model/gateway-model.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import { checkedBundle, resolvePemReference } from '../resolve-pem.ts';
import type { BackendTlsPolicyResource } from '../schemas/backend-tls-policy.ts';

export function withBackendTlsPolicies(backends: Backend[], resources: Resources, problems: Problems): Backend[] {
  const policies = resources['gateway.networking.k8s.io/BackendTLSPolicy'];
  if (policies.length === 0) return backends;
  const byName = new Map(backends.map((backend) => [backend.name, backend]));
  const applied = new Map<string, BackendTls>();
  for (const { source, resource } of policies) {
    const tls = policyTls(source, resource, resources, problems);
    resource.spec.targetRefs.forEach((ref, index) => {
      const path = `spec.targetRefs[${index}]`;
      const isService = ref.kind === 'Service' && (ref.group ?? '') === '';
      const isBackend = ref.kind === 'Backend' && ref.group === 'gatehouse.dev';
      if (!isService && !isBackend) {
        problems.at(source, `${path}.kind`, `a BackendTLSPolicy targets a Service (or a gatehouse.dev Backend), not ${ref.kind}`);
        return;
      }
      const backend = byName.get(ref.name);
      if (backend === undefined) {
        problems.at(source, path, `references ${ref.kind} "${ref.name}", but no gatehouse.dev/v1alpha1 Backend of that name is defined (a Service is served by the Backend of the same name)`);
        return;
      }
      if (ref.sectionName !== undefined) problems.warn(source, `${path}.sectionName: a Backend has no ports; the policy applies to all its endpoints`);
      if (applied.has(ref.name)) {
        problems.at(source, path, `Backend "${ref.name}" is already targeted by another BackendTLSPolicy`);
      } else if (backend.tls !== undefined) {
        problems.at(source, path, `Backend "${ref.name}" sets spec.tls itself; use one or the other`);
      } else if (tls !== undefined) {
        applied.set(ref.name, tls);
      }
    });
  }
  return backends.map((backend) => (applied.has(backend.name) ? { ...backend, tls: applied.get(backend.name) } : backend));
}

function policyTls(source: SourceRef, resource: BackendTlsPolicyResource, resources: Resources, problems: Problems): BackendTls | undefined {
  const validation = resource.spec.validation;
  let caBundlePem: string | undefined;
  if (validation.wellKnownCACertificates === 'System') {
    caBundlePem = rootCertificates.join('\n');
  } else {
    const bundles = (validation.caCertificateRefs ?? []).map((ref, index) => {
      const site = { source, path: `spec.validation.caCertificateRefs[${index}]` };
      return checkedBundle(problems, site, resolvePemReference(resources, problems, site, { kind: ref.kind, name: ref.name }));
    });
    if (bundles.some((bundle) => bundle === undefined)) return undefined;
    caBundlePem = bundles.join('');
  }
  const names = validation.subjectAltNames ?? [];
  // Gateway API accepts a certificate carrying any one of the listed names; Gatehouse checks
  // one expected identity per backend, so it takes exactly one.
  if (names.length > 1) {
    problems.at(source, 'spec.validation.subjectAltNames', 'Gatehouse verifies one subjectAltName per backend: list one (a SPIFFE ID URI or a hostname)');
    return undefined;
  }
  const [name] = names;
  return {
    caBundlePem,
    crlPems: [],
    expectedSpiffeId: name?.type === 'URI' ? name.uri : undefined,
    expectedDnsName: name === undefined ? validation.hostname : name.type === 'Hostname' ? name.hostname : undefined,
    serverName: validation.hostname,
  };
}
