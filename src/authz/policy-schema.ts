// The Istio AuthorizationPolicy spec (security.istio.io/v1 and v1beta1), strict: an unknown
// field is a config error naming its path, never silently ignored.
import { z } from 'zod';

const stringList = z.array(z.string().min(1)).min(1);

const source = z.strictObject({
  principals: stringList.optional(),
  notPrincipals: stringList.optional(),
  requestPrincipals: stringList.optional(),
  notRequestPrincipals: stringList.optional(),
  namespaces: stringList.optional(),
  notNamespaces: stringList.optional(),
  ipBlocks: stringList.optional(),
  notIpBlocks: stringList.optional(),
  remoteIpBlocks: stringList.optional(),
  notRemoteIpBlocks: stringList.optional(),
});

const operation = z.strictObject({
  hosts: stringList.optional(),
  notHosts: stringList.optional(),
  ports: stringList.optional(),
  notPorts: stringList.optional(),
  methods: stringList.optional(),
  notMethods: stringList.optional(),
  paths: stringList.optional(),
  notPaths: stringList.optional(),
});

const condition = z
  .strictObject({
    key: z.string().min(1),
    values: stringList.optional(),
    notValues: stringList.optional(),
  })
  .refine((c) => c.values !== undefined || c.notValues !== undefined, {
    message: 'a condition needs values or notValues',
  });

const rule = z.strictObject({
  from: z.array(z.strictObject({ source })).optional(),
  to: z.array(z.strictObject({ operation })).optional(),
  when: z.array(condition).optional(),
});

const targetRef = z.strictObject({
  group: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});

export const authorizationPolicySpec = z
  .strictObject({
    selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()).optional() }).optional(),
    targetRef: targetRef.optional(),
    targetRefs: z.array(targetRef).optional(),
    action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']).default('ALLOW'),
    provider: z.strictObject({ name: z.string().min(1) }).optional(),
    rules: z.array(rule).optional(),
  })
  .refine((spec) => spec.action !== 'CUSTOM' || spec.provider !== undefined, {
    message: 'action CUSTOM requires provider.name',
    path: ['provider'],
  });

export type AuthorizationPolicySpec = z.infer<typeof authorizationPolicySpec>;
export type AuthorizationRule = z.infer<typeof rule>;
export type AuthorizationCondition = z.infer<typeof condition>;
