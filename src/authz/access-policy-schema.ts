// Gatehouse's short form for the common case (kind AccessPolicy, gatehouse.dev/v1alpha1):
// per path/method, the scopes, roles and claims a token must carry. It compiles into the same
// engine as AuthorizationPolicy: one ALLOW policy whose rules are the listed requirements.
import { z } from 'zod';

const nonEmptyList = z.array(z.string().min(1)).min(1);

export const accessRequirement = z.strictObject({
  /** Every listed scope must be granted: `scope` (space-separated, RFC 8693 §4.2) or `scp` (list). */
  scopes: nonEmptyList.optional(),
  /** Any one of the listed roles, read from `rolesClaim`. */
  roles: nonEmptyList.optional(),
  /** Each claim (dotted path for nested claims) must equal one of its values. */
  claims: z.record(z.string().min(1), z.union([z.string(), nonEmptyList])).optional(),
});

export const accessRule = z.strictObject({
  /** Istio string forms and path templates (`/orders/{*}`); default every path. */
  paths: nonEmptyList.optional(),
  /** Default every method. */
  methods: nonEmptyList.optional(),
  /** Omitted or `{}`: any authenticated request. `public: true` instead lets anonymous requests in. */
  require: accessRequirement.optional(),
  public: z.boolean().optional(),
});

export const accessPolicySpec = z.strictObject({
  targetRefs: z
    .array(z.strictObject({ group: z.string().optional(), kind: z.string(), name: z.string().min(1), namespace: z.string().optional() }))
    .optional(),
  /** Where roles live, as a dotted claim path: `roles`, `groups`, `realm_access.roles` (Keycloak). */
  rolesClaim: z.string().min(1).default('roles'),
  rules: z.array(accessRule).min(1),
});

export type AccessPolicySpec = z.infer<typeof accessPolicySpec>;
export type AccessRule = z.infer<typeof accessRule>;
