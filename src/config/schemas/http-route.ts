// gateway.networking.k8s.io/v1 HTTPRoute (and v1beta1): matches, filters, backendRefs, timeouts.
import { z } from 'zod';
import { durationSchema, resourceSchema } from './common.ts';
import { corsFilterSchema } from './cors-filter.ts';

const pathMatchSchema = z.strictObject({
  type: z.enum(['Exact', 'PathPrefix', 'RegularExpression']).default('PathPrefix'),
  value: z.string().default('/'),
});

const nameValueMatchSchema = z.strictObject({
  type: z.enum(['Exact', 'RegularExpression']).default('Exact'),
  name: z.string().min(1),
  value: z.string(),
});

const matchSchema = z.strictObject({
  path: pathMatchSchema.optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']).optional(),
  headers: z.array(nameValueMatchSchema).optional(),
  queryParams: z.array(nameValueMatchSchema).optional(),
});

const headerModifierSchema = z.strictObject({
  set: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
  add: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).optional(),
  remove: z.array(z.string().min(1)).optional(),
});

const pathModifierSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ReplacePrefixMatch'), replacePrefixMatch: z.string() }),
  z.strictObject({ type: z.literal('ReplaceFullPath'), replaceFullPath: z.string() }),
]);

const filterSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('RequestHeaderModifier'), requestHeaderModifier: headerModifierSchema }),
  z.strictObject({ type: z.literal('ResponseHeaderModifier'), responseHeaderModifier: headerModifierSchema }),
  z.strictObject({
    type: z.literal('URLRewrite'),
    urlRewrite: z.strictObject({ hostname: z.string().optional(), path: pathModifierSchema.optional() }),
  }),
  z.strictObject({
    type: z.literal('RequestRedirect'),
    requestRedirect: z.strictObject({
      scheme: z.enum(['http', 'https']).optional(),
      hostname: z.string().optional(),
      port: z.int().min(1).max(65535).optional(),
      statusCode: z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]).optional(),
      path: pathModifierSchema.optional(),
    }),
  }),
  z.strictObject({ type: z.literal('CORS'), cors: corsFilterSchema }),
]);

const backendRefSchema = z.strictObject({
  group: z.string().optional(),
  kind: z.string().optional(),
  name: z.string().min(1),
  namespace: z.string().optional(),
  port: z.int().min(1).max(65535).optional(),
  weight: z.int().min(0).max(1_000_000).optional(),
});

const ruleSchema = z.strictObject({
  name: z.string().optional(),
  matches: z.array(matchSchema).optional(),
  filters: z.array(filterSchema).optional(),
  backendRefs: z.array(backendRefSchema).optional(),
  timeouts: z.strictObject({ request: durationSchema.optional() }).optional(),
});

export const httpRouteSchema = resourceSchema(
  ['gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1beta1'],
  'HTTPRoute',
  z.strictObject({
    parentRefs: z
      .array(
        z.strictObject({
          group: z.string().optional(),
          kind: z.literal('Gateway', { error: 'parentRefs may only name a Gateway' }).optional(),
          name: z.string().min(1),
          namespace: z.string().optional(),
          sectionName: z.string().optional(),
          port: z.int().min(1).max(65535).optional(),
        }),
      )
      .optional(),
    hostnames: z.array(z.string()).optional(),
    rules: z.array(ruleSchema).optional(),
  }),
);
export type HttpRouteResource = z.infer<typeof httpRouteSchema>;
export type HttpRouteRule = z.infer<typeof ruleSchema>;
export type HttpRouteFilter = z.infer<typeof filterSchema>;
