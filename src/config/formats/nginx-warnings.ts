// NGINX Plus `auth_jwt` semantics the NGINX front end keeps, where they are weaker than what an
// Istio RequestAuthentication with the same keys would enforce. `gatehouse check` lists one
// warning per weaker setting, so a team migrating off NGINX sees what changes if it moves to the
// Istio form (`gatehouse import` prints it).
import type { JwtProvider } from '../../model/gateway-model.ts';
import { ANNOTATIONS } from '../defaults.ts';

/** One line per setting of this NGINX-derived provider that Istio would enforce more strictly. */
export function nginxWeakerThanIstio(provider: JwtProvider): string[] {
  const warnings: string[] = [];
  if (!provider.requireExp) {
    // NGINX checks `exp` only when present (ngx_http_auth_jwt_module); Istio/Envoy require it.
    warnings.push(`tokens without "exp" are accepted and never expire (NGINX semantics; Istio requires exp) — annotate ${ANNOTATIONS.requireExp}: "true" to require it`);
  }
  if (provider.issuer === '*') {
    warnings.push('any "iss" is accepted (an NGINX JWT policy names no issuer; Istio matches one exact issuer per jwtRule)');
  }
  if (provider.audiences.length === 0) {
    warnings.push('"aud" is not checked (an NGINX JWT policy has no audience list; Istio checks jwtRules[].audiences when set)');
  }
  if (provider.forwardOriginalToken) {
    warnings.push('the token is forwarded to the upstream with the request (NGINX semantics; Istio removes it unless forwardOriginalToken: true)');
  }
  return warnings;
}
