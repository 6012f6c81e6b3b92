// Where a route's tokens are read (header, cookie, query) and which provider verifies a token
// found there: one compiled location per distinct place, its providers by issuer (Envoy's
// jwt_authn: issuer-specific token locations).
import type { TokenLocation } from '../model/gateway-model.ts';
import type { TokenVerifier } from './verify-token.ts';

/** A token location and the providers that read tokens from it (Envoy: issuer-specific locations). */
export interface CompiledLocation extends TokenLocation {
  readonly original: TokenLocation;
  readonly verifiers: TokenVerifier[];
  readonly byIssuer: Map<string, TokenVerifier>;
  wildcard?: TokenVerifier;
}

/** The token's `iss` picks the provider; an exact issuer always wins over '*'. */
export function providerForIssuer(location: CompiledLocation, issuer: string): TokenVerifier | undefined {
  return location.byIssuer.get(issuer) ?? location.wildcard;
}

export function compileLocations(verifiers: TokenVerifier[]): CompiledLocation[] {
  const byKey = new Map<string, CompiledLocation>();
  for (const verifier of verifiers) {
    for (const location of verifier.provider.locations) {
      const key = `${location.kind}\n${location.name.toLowerCase()}\n${(location.prefix ?? '').toLowerCase()}`;
      let compiled = byKey.get(key);
      if (compiled === undefined) {
        const name = location.kind === 'header' ? location.name.toLowerCase() : location.name; // Node lower-cases header names
        compiled = { ...location, name, original: location, verifiers: [], byIssuer: new Map() };
        byKey.set(key, compiled);
      }
      if (compiled.verifiers.includes(verifier)) continue;
      compiled.verifiers.push(verifier);
      // The first provider named for an issuer (or the first '*') wins over later ones.
      if (verifier.provider.issuer === '*') compiled.wildcard ??= verifier;
      else if (!compiled.byIssuer.has(verifier.provider.issuer)) compiled.byIssuer.set(verifier.provider.issuer, verifier);
    }
  }
  return [...byKey.values()];
}
