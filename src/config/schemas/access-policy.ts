// gatehouse.dev/v1alpha1 AccessPolicy: the authorization stage's short form (scopes, roles and
// claims per path/method). Its spec schema belongs to src/authz; config validates documents
// with it so errors name file, document and field, then passes the spec through unchanged.
import type { z } from 'zod';
import { accessPolicySpec } from '../../authz/access-policy-schema.ts';
import { resourceSchema } from './common.ts';

export const accessPolicySchema = resourceSchema(['gatehouse.dev/v1alpha1'], 'AccessPolicy', accessPolicySpec);
export type AccessPolicyResource = z.infer<typeof accessPolicySchema>;
