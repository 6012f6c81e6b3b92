// k8s.nginx.org/v1 VirtualServer: host, upstreams and routes with `pass` / `proxy` actions.
import { z } from 'zod';
import { resourceSchema } from './common.ts';

const policyRefSchema = z.strictObject({ name: z.string().min(1), namespace: z.string().optional() });

const actionSchema = z.union(
  [
    z.strictObject({ pass: z.string().min(1) }),
    z.strictObject({ proxy: z.strictObject({ upstream: z.string().min(1) }) }),
  ],
  { error: 'action must be {pass: <upstream>} or {proxy: {upstream: <upstream>}}' },
);

export const virtualServerSchema = resourceSchema(
  ['k8s.nginx.org/v1'],
  'VirtualServer',
  z.strictObject({
    host: z.string().min(1),
    policies: z.array(policyRefSchema).optional(),
    upstreams: z
      .array(z.strictObject({ name: z.string().min(1), service: z.string().min(1), port: z.int().min(1).max(65535) }))
      .default([]),
    routes: z
      .array(z.strictObject({ path: z.string().min(1), action: actionSchema, policies: z.array(policyRefSchema).optional() }))
      .default([]),
  }),
);
export type VirtualServerResource = z.infer<typeof virtualServerSchema>;
