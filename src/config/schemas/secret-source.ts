// Where a secret value comes from, in the forms Gatehouse kinds share: inline (tests and demos
// only), an environment variable, a file (relative to the YAML file), or a key of a Secret
// document. Exactly one form per value; the value itself never appears in an error message.
import { z } from 'zod';

export const secretSourceSchema = z.union(
  [
    z.strictObject({ value: z.string().min(1).describe('The secret itself (for tests and demos; prefer env, file or secretRef)') }),
    z.strictObject({ env: z.string().min(1).describe('Name of the environment variable holding the secret') }),
    z.strictObject({ file: z.string().min(1).describe('File holding the secret (trailing newline removed), relative to this YAML file') }),
    z.strictObject({
      secretRef: z
        .strictObject({ name: z.string().min(1), key: z.string().min(1) })
        .describe('Key of an Opaque Secret document in the same configuration'),
    }),
  ],
  { error: 'must be one of {value: …}, {env: NAME}, {file: PATH} or {secretRef: {name, key}}' },
);
export type SecretSource = z.infer<typeof secretSourceSchema>;
