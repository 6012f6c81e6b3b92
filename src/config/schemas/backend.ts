// gatehouse.dev/v1alpha1 Backend: the upstream endpoints a route forwards to.
import { z } from 'zod';
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
  })
  .describe('Upstream endpoints referenced from HTTPRoute backendRefs or NGINX VirtualServer upstreams');

export const backendSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'Backend', backendSpecSchema);
export type BackendResource = z.infer<typeof backendSchema>;
