// gatehouse.dev GatewayOptions → model options, defaults applied. One document per config: two
// would leave it undefined which limit wins.
import type { Route, SourceRef } from '../../model/gateway-model.ts';
import type { GatewayOptions } from '../../model/gateway-options.ts';
import { DEFAULT_PATH_NORMALIZATION } from '../../model/path-normalization.ts';
import { DEFAULTS } from '../defaults.ts';
import { parseDurationMs } from '../duration.ts';
import type { Resources } from '../parse-resources.ts';
import type { Problems } from '../problems.ts';
import type { GatewayOptionsResource } from '../schemas/gateway-options.ts';

export function translateGatewayOptions(resources: Resources, routes: readonly Route[], problems: Problems): GatewayOptions {
  const [first, ...extras] = resources['gatehouse.dev/GatewayOptions'];
  for (const extra of extras) {
    problems.at(extra.source, 'kind', `only one GatewayOptions per config; "${first.source.name}" is already defined in ${first.source.file}`);
  }
  if (first === undefined) return resolveGatewayOptions(undefined);
  const options = resolveGatewayOptions(first.resource.spec, first.source);
  // node:http: the headers must be complete before the whole request may be.
  if (options.limits.requestTimeoutMs !== 0 && options.limits.headersTimeoutMs > options.limits.requestTimeoutMs) {
    problems.at(first.source, 'spec.limits.headersTimeout', 'must not exceed requestTimeout');
  }
  const paths = first.resource.spec.pathNormalization;
  if (paths?.normalization === 'DECODE_AND_MERGE_SLASHES' && paths.escapedSlashes !== undefined && paths.escapedSlashes !== 'UNESCAPE_AND_FORWARD') {
    problems.at(first.source, 'spec.pathNormalization.escapedSlashes', 'DECODE_AND_MERGE_SLASHES already decodes %2F and %5C (UNESCAPE_AND_FORWARD); remove escapedSlashes');
  }
  (first.resource.spec.routes ?? []).forEach(({ name }, index) => {
    if (!routes.some((route) => route.routeName === name)) {
      problems.at(first.source, `spec.routes[${index}].name`, `no HTTPRoute or VirtualServer route is named "${name}"`);
    }
  });
  return options;
}

/** A spec (or none: a config without GatewayOptions) with every default applied. */
export function resolveGatewayOptions(spec: GatewayOptionsResource['spec'] | undefined, source?: SourceRef): GatewayOptions {
  const defaults = DEFAULTS.options;
  const limits = spec?.limits ?? {};
  const duration = (text: string | undefined, fallback: number) => (text === undefined ? fallback : parseDurationMs(text));
  return {
    limits: {
      maxHeaderBytes: limits.maxHeaderBytes ?? defaults.limits.maxHeaderBytes,
      maxHeaderCount: limits.maxHeaderCount ?? defaults.limits.maxHeaderCount,
      maxTokenBytes: limits.maxTokenBytes ?? defaults.limits.maxTokenBytes,
      maxRequestBodyBytes: limits.maxRequestBodyBytes ?? defaults.limits.maxRequestBodyBytes,
      headersTimeoutMs: duration(limits.headersTimeout, defaults.limits.headersTimeoutMs),
      requestTimeoutMs: duration(limits.requestTimeout, defaults.limits.requestTimeoutMs),
      keepAliveTimeoutMs: duration(limits.keepAliveTimeout, defaults.limits.keepAliveTimeoutMs),
      maxConnections: limits.maxConnections ?? defaults.limits.maxConnections,
      maxConcurrentRequests: limits.maxConcurrentRequests ?? defaults.limits.maxConcurrentRequests,
    },
    shutdown: { drainTimeoutMs: duration(spec?.shutdown?.drainTimeout, defaults.drainTimeoutMs) },
    pathNormalization: {
      normalization: spec?.pathNormalization?.normalization ?? DEFAULT_PATH_NORMALIZATION.normalization,
      escapedSlashes: spec?.pathNormalization?.escapedSlashes ?? DEFAULT_PATH_NORMALIZATION.escapedSlashes,
    },
    routeBodyLimits: (spec?.routes ?? []).map(({ name, maxRequestBodyBytes }) => ({ routeName: name, maxRequestBodyBytes })),
    ...(source ? { source } : {}),
  };
}
