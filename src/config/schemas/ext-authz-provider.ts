// gatehouse.dev/v1alpha1 ExtAuthzProvider: the HTTP external authorization service an Istio
// AuthorizationPolicy with `action: CUSTOM` names in `provider.name` — the Gatehouse spelling of
// Istio's MeshConfig `extensionProviders[].envoyExtAuthzHttp`.
import { z } from 'zod';
import { absoluteUrlSchema, durationSchema, resourceSchema } from './common.ts';

export const extAuthzProviderSpecSchema = z
  .strictObject({
    url: absoluteUrlSchema.describe('Base URL of the service; the original request path is appended (Istio: service + port + pathPrefix)'),
    timeout: durationSchema.optional().describe('Deadline for one check, e.g. "500ms" (default 1s); a timeout denies unless failOpen'),
    includeRequestHeadersInCheck: z
      .array(z.string().min(1))
      .optional()
      .describe('Request headers sent to the service (lower-case; a trailing * is a prefix). Default: authorization, cookie'),
    headersToUpstreamOnAllow: z.array(z.string().min(1)).optional().describe('Headers of an allowing answer that are added to the upstream request'),
    failOpen: z.boolean().optional().describe('Allow when the service cannot be reached or times out (default false: fail closed)'),
  })
  .describe('An HTTP external authorization service for AuthorizationPolicy action CUSTOM');

export const extAuthzProviderSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'ExtAuthzProvider', extAuthzProviderSpecSchema);
export type ExtAuthzProviderResource = z.infer<typeof extAuthzProviderSchema>;
