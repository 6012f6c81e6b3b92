// security.istio.io/v1 (and v1beta1) RequestAuthentication, every jwtRules field Istio documents.
import { z } from 'zod';
import { durationSchema, resourceSchema, targetRefSchema } from './common.ts';

export const jwtRuleSchema = z.strictObject({
  issuer: z.string().min(1, { error: 'issuer is required' }),
  audiences: z.array(z.string().min(1)).optional(),
  jwksUri: z.url({ protocol: /^https?$/, error: 'jwksUri must be an absolute http(s) URL' }).optional(),
  /** Inline JWK set, as JSON text (Istio `jwks`). */
  jwks: z.string().optional(),
  fromHeaders: z.array(z.strictObject({ name: z.string().min(1), prefix: z.string().optional() })).optional(),
  fromParams: z.array(z.string().min(1)).optional(),
  fromCookies: z.array(z.string().min(1)).optional(),
  outputPayloadToHeader: z.string().min(1).optional(),
  outputClaimToHeaders: z.array(z.strictObject({ header: z.string().min(1), claim: z.string().min(1) })).optional(),
  forwardOriginalToken: z.boolean().optional(),
  timeout: durationSchema.optional(),
});
export type JwtRule = z.infer<typeof jwtRuleSchema>;

export const requestAuthenticationSchema = resourceSchema(
  ['security.istio.io/v1', 'security.istio.io/v1beta1'],
  'RequestAuthentication',
  z.strictObject({
    selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    targetRef: targetRefSchema.optional(),
    targetRefs: z.array(targetRefSchema).optional(),
    jwtRules: z.array(jwtRuleSchema).default([]),
  }),
);
export type RequestAuthenticationResource = z.infer<typeof requestAuthenticationSchema>;
