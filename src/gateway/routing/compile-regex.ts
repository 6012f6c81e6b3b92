// Gateway API leaves RegularExpression semantics to the implementation; like Envoy's safe_regex
// (which Istio emits) we require the whole value to match, not a substring.

export class RouteCompileError extends Error {
  readonly code = 'route_regex_invalid';
  readonly routeId: string;

  constructor(routeId: string, pattern: string, cause: unknown) {
    super(`route ${routeId}: invalid regular expression ${JSON.stringify(pattern)}: ${(cause as Error).message}`);
    this.name = 'RouteCompileError';
    this.routeId = routeId;
  }
}

export function compileFullMatchRegex(routeId: string, pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (cause) {
    throw new RouteCompileError(routeId, pattern, cause);
  }
}
