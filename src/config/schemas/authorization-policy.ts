// security.istio.io/v1 (and v1beta1) AuthorizationPolicy, validated strictly with the schema
// the authorization engine compiles from (src/authz/policy-schema.ts): one definition, so
// `gatehouse check` and the gateway never disagree about what a policy means.
import type { z } from 'zod';
import { authorizationPolicySpec } from '../../authz/policy-schema.ts';
import { resourceSchema } from './common.ts';

export const authorizationPolicySchema = resourceSchema(['security.istio.io/v1', 'security.istio.io/v1beta1'], 'AuthorizationPolicy', authorizationPolicySpec);
export type AuthorizationPolicyResource = z.infer<typeof authorizationPolicySchema>;
