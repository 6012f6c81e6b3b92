// k8s.nginx.org/v1 Policy with a `jwt` section (NGINX Ingress Controller JWT policy) or a
// `rateLimit` section (limit_req); a Policy holds exactly one type (checked by the translator).
import { z } from 'zod';
import { durationSchema, resourceSchema } from './common.ts';
import { nginxRateLimitSchema } from './nginx-rate-limit.ts';

export const nginxPolicySchema = resourceSchema(
  ['k8s.nginx.org/v1', 'k8s.nginx.org/v1alpha1'],
  'Policy',
  z.strictObject({
    rateLimit: nginxRateLimitSchema.optional(),
    jwt: z.strictObject({
      /** Name of a Secret of type nginx.org/jwk holding the JWK set under `jwk`. */
      secret: z.string().min(1).optional(),
      realm: z.string().min(1).optional(),
      /** NGINX variable: `$http_<header>`, `$cookie_<name>` or `$arg_<name>`. */
      token: z.string().regex(/^\$(http|cookie|arg)_[a-z0-9_]+$/, {
        error: 'token must be an NGINX variable: $http_<header>, $cookie_<name> or $arg_<name> (lower-case, "-" written as "_")',
      }).optional(),
      jwksURI: z.url({ protocol: /^https?$/, error: 'jwksURI must be an absolute http(s) URL' }).optional(),
      /** How long fetched keys are cached, NGINX time syntax limited to durations like "1h". */
      keyCache: durationSchema.optional(),
    }).optional(),
  }),
);
export type NginxPolicyResource = z.infer<typeof nginxPolicySchema>;
