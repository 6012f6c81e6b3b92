// Cross-document references. A dangling reference is reported at the referring field and names
// the missing resource, so both ends are in one message. Names are unique per kind in a config
// (parse-resources.ts enforces it), so references resolve by kind and name.
import type { SourceRef, TargetRef } from '../model/gateway-model.ts';
import type { Parsed, Resources } from './parse-resources.ts';
import type { Problems } from './problems.ts';
import type { GatewayResource } from './schemas/gateway.ts';
import type { TargetRefSpec } from './schemas/common.ts';
import { type SecretResource, secretValue } from './schemas/secret.ts';

/** Where a reference is written: the referring resource and the field path within it. */
export interface ReferenceSite {
  source: SourceRef;
  path: string;
}

function find<Key extends keyof Resources>(resources: Resources, key: Key, name: string): Resources[Key][number] | undefined {
  return (resources[key] as Parsed<unknown>[]).find((parsed) => parsed.source.name === name) as Resources[Key][number] | undefined;
}

function missing(problems: Problems, site: ReferenceSite, kind: string, name: string, hint = ''): undefined {
  problems.at(site.source, site.path, `references ${kind} "${name}", which is not defined in any config document${hint}`);
  return undefined;
}

/** A Secret of the given `type`, with every listed key present; returns the decoded values. */
export function resolveSecretValues(
  resources: Resources, problems: Problems, site: ReferenceSite, name: string, type: string, keys: string[],
): Record<string, string> | undefined {
  const parsed = find(resources, '/Secret', name);
  if (!parsed) return missing(problems, site, 'Secret', name);
  const secret: SecretResource = parsed.resource;
  if (secret.type !== type) {
    problems.at(site.source, site.path, `Secret "${name}" has type "${secret.type}"; expected "${type}" (${where(parsed.source)})`);
    return undefined;
  }
  const values: Record<string, string> = {};
  for (const key of keys) {
    const value = secretValue(secret, key);
    if (value === undefined) {
      problems.at(site.source, site.path, `Secret "${name}" has no "${key}" in data or stringData (${where(parsed.source)})`);
      return undefined;
    }
    values[key] = value;
  }
  return values;
}

/** A Gatehouse Backend of that name; `via` names what the user wrote (Service, upstream…). */
export function resolveBackend(resources: Resources, problems: Problems, site: ReferenceSite, name: string, via?: string): string | undefined {
  if (find(resources, 'gatehouse.dev/Backend', name)) return name;
  const hint = via ? ` (a ${via} is served by the gatehouse.dev/v1alpha1 Backend of the same name)` : '';
  return missing(problems, site, 'Backend', name, hint);
}

export function resolveGateway(
  resources: Resources, problems: Problems, site: ReferenceSite, name: string, sectionName?: string,
): Parsed<GatewayResource> | undefined {
  const gateway = find(resources, 'gateway.networking.k8s.io/Gateway', name);
  if (!gateway) return missing(problems, site, 'Gateway', name);
  if (sectionName !== undefined && !gateway.resource.spec.listeners.some((listener) => listener.name === sectionName)) {
    problems.at(site.source, `${site.path}.sectionName`, `Gateway "${name}" has no listener named "${sectionName}" (${where(gateway.source)})`);
    return undefined;
  }
  return gateway;
}

export function resolveNginxPolicy(resources: Resources, problems: Problems, site: ReferenceSite, name: string): string | undefined {
  return find(resources, 'k8s.nginx.org/Policy', name) ? name : missing(problems, site, 'Policy', name);
}

/** targetRef(s) of Istio and Gatehouse resources: a Gateway, HTTPRoute or VirtualServer. */
export function resolveTargetRefs(resources: Resources, problems: Problems, site: ReferenceSite, refs: TargetRefSpec[]): TargetRef[] {
  const targets: TargetRef[] = [];
  refs.forEach((ref, index) => {
    const refSite = { source: site.source, path: `${site.path}[${index}]` };
    const key = TARGET_KINDS[ref.kind as TargetRef['kind']];
    if (!key) {
      problems.at(site.source, `${refSite.path}.kind`, `targetRef kind "${ref.kind}" is not supported; use Gateway, HTTPRoute or VirtualServer`);
    } else if (find(resources, key, ref.name)) {
      targets.push({ kind: ref.kind as TargetRef['kind'], name: ref.name });
    } else {
      missing(problems, refSite, ref.kind, ref.name);
    }
  });
  return targets;
}

const TARGET_KINDS: Record<TargetRef['kind'], keyof Resources> = {
  Gateway: 'gateway.networking.k8s.io/Gateway',
  HTTPRoute: 'gateway.networking.k8s.io/HTTPRoute',
  VirtualServer: 'k8s.nginx.org/VirtualServer',
};

function where(source: SourceRef): string {
  return `${source.file} document ${source.documentIndex}`;
}
