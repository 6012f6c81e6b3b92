// gatehouse.dev/v1alpha1 GatewayOptions: instance-wide settings that no Gateway API, Istio or
// NGINX resource carries — limits against abuse and graceful shutdown. At most one per config;
// every field is optional and falls back to DEFAULTS.options (src/config/defaults.ts).
import { z } from 'zod';
import { ESCAPED_SLASHES_ACTIONS, PATH_NORMALIZATION_MODES } from '../../model/path-normalization.ts';
import { durationSchema, resourceSchema } from './common.ts';

const positiveInt = () => z.int().min(1);

export const gatewayLimitsSchema = z
  .strictObject({
    maxHeaderBytes: positiveInt().describe('Total size of the request line and header fields; larger → 431 (default 16384)'),
    maxHeaderCount: positiveInt().describe('Header fields per request; more → 431 (default 100)'),
    maxTokenBytes: positiveInt().describe('Size of a bearer token; larger → 401 invalid_token without verifying it (default 8192)'),
    maxRequestBodyBytes: positiveInt().describe('Request body size; larger → 413 (default 10485760, 10 MiB)'),
    headersTimeout: durationSchema.describe('Time to receive the complete request headers; slower connections are closed (slowloris; default "15s")'),
    requestTimeout: durationSchema.describe('Time to receive the complete request, body included (default "60s")'),
    keepAliveTimeout: durationSchema.describe('Idle time before a kept-alive connection is closed (default "5s")'),
    maxConnections: positiveInt().describe('Open client connections per listener socket; excess connections are closed at once (default 10000)'),
    maxConcurrentRequests: positiveInt().describe('Requests in flight per gateway process; more → 503 with Retry-After (default 5000)'),
  })
  .partial()
  .describe('Limits against abuse, applied on every listener');

export const gatewayOptionsSpecSchema = z
  .strictObject({
    limits: gatewayLimitsSchema.optional(),
    shutdown: z
      .strictObject({
        drainTimeout: durationSchema.optional().describe('On SIGTERM, how long in-flight requests may take to finish before the process exits (default "25s")'),
      })
      .optional()
      .describe('Graceful shutdown'),
    pathNormalization: z
      .strictObject({
        normalization: z
          .enum(PATH_NORMALIZATION_MODES)
          .optional()
          .describe('Istio pathNormalization: NONE, BASE (RFC 3986), MERGE_SLASHES (BASE + merge "//"), DECODE_AND_MERGE_SLASHES (also decode %2F/%5C); default MERGE_SLASHES'),
        escapedSlashes: z
          .enum(ESCAPED_SLASHES_ACTIONS)
          .optional()
          .describe('Envoy path_with_escaped_slashes_action for %2F/%5C: REJECT_REQUEST (400, default), KEEP_UNCHANGED, UNESCAPE_AND_REDIRECT (307), UNESCAPE_AND_FORWARD'),
      })
      .optional()
      .describe('How request paths are normalized before routing and authorization (docs/authorization.md)'),
    routes: z
      .array(
        z.strictObject({
          name: z.string().min(1).describe('HTTPRoute (or NGINX VirtualServer) name; applies to all its rules'),
          maxRequestBodyBytes: positiveInt().describe('Request body size limit for this route; overrides limits.maxRequestBodyBytes'),
        }),
      )
      .optional()
      .describe('Per-route overrides'),
  })
  .describe('Instance-wide gateway settings: limits against abuse and graceful shutdown (one per config)');

export const gatewayOptionsSchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'GatewayOptions', gatewayOptionsSpecSchema);
export type GatewayOptionsResource = z.infer<typeof gatewayOptionsSchema>;
