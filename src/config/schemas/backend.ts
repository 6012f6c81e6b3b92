// gatehouse.dev/v1alpha1 Backend: the upstream endpoints a route forwards to.
import { z } from 'zod';
import { backendTlsSchema } from './backend-tls.ts';
import { absoluteUrlSchema, durationSchema, resourceSchema } from './common.ts';

export const backendSpecSchema = z
  .strictObject({
    endpoints: z
      .array(z.strictObject({ url: absoluteUrlSchema.describe('Upstream base URL, http:// or https://') }))
      .min(1, { error: 'a Backend needs at least one endpoint' })
      .describe('Endpoints, used round-robin'),
    healthCheck: z
      .strictObject({
        maxConnectFailures: z.int().min(1).optional().describe('Consecutive connect failures before an endpoint is ejected (default 3)'),
        ejectionSeconds: z.int().min(1).optional().describe('Seconds an ejected endpoint stays out (default 10)'),
      })
      .optional()
      .describe('Passive health checking'),
    connectTimeout: durationSchema.optional().describe('Connect timeout per try, e.g. "2s" (default 2s)'),
    tls: backendTlsSchema.optional().describe('Verification of https:// endpoints and the client certificate (docs/mtls.md)'),
    internalToken: z
      .strictObject({
        audience: z.string().min(1).optional().describe('`aud` of the token: this one service (default: the Backend name)'),
        header: z
          .string()
          .regex(/^[A-Za-z0-9-]+$/, { error: 'must be an HTTP header name' })
          .optional()
          .describe('Request header carrying the token (default x-gatehouse-token)'),
        mode: z
          .enum(['alongside', 'replace'])
          .optional()
          .describe('alongside (default): also send the identity headers; replace: send only the token'),
      })
      .optional()
      .describe('Forward a short-lived JWT signed by the gateway (needs a GatewayIdentity); see docs/internal-tokens.md'),
  })
  .describe('Upstream endpoints referenced from HTTPRoute backendRefs or NGINX VirtualServer upstreams');

export const backendSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'Backend', backendSpecSchema);
export type BackendResource = z.infer<typeof backendSchema>;
