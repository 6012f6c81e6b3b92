// Failures from jose (and anything unexpected) become stable reason codes; unknown → fail closed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errors } from 'jose';
import { AuthnError, toAuthnError } from '../../src/authn/errors.ts';

const rows: { name: string; error: unknown; code: string }[] = [
  { name: 'expired', error: new errors.JWTExpired('x', {}, 'exp', 'check_failed'), code: 'jwt_expired' },
  { name: 'bad signature', error: new errors.JWSSignatureVerificationFailed(), code: 'jwt_verification_failed' },
  { name: 'algorithm not allowed', error: new errors.JOSEAlgNotAllowed('x'), code: 'jwt_alg_not_allowed' },
  { name: 'unsupported crit', error: new errors.JOSENotSupported('x'), code: 'jwt_header_invalid' },
  { name: 'invalid JWS', error: new errors.JWSInvalid('x'), code: 'jwt_malformed' },
  { name: 'nbf claim', error: new errors.JWTClaimValidationFailed('x', {}, 'nbf', 'check_failed'), code: 'jwt_not_yet_valid' },
  { name: 'aud claim', error: new errors.JWTClaimValidationFailed('x', {}, 'aud', 'check_failed'), code: 'jwt_audience_mismatch' },
  { name: 'other claim', error: new errors.JWTClaimValidationFailed('x', {}, 'tenant', 'missing'), code: 'jwt_missing_claim' },
  { name: 'no matching key', error: new errors.JWKSNoMatchingKey(), code: 'jwt_unknown_kid' },
  { name: 'wrong key type (TypeError)', error: new TypeError('CryptoKey instances must be of type "public"'), code: 'jwt_verification_failed' },
  { name: 'our own error passes through', error: new AuthnError('jwt_too_large'), code: 'jwt_too_large' },
];

for (const row of rows) {
  test(`jose error → reason: ${row.name}`, () => {
    const mapped = toAuthnError(row.error);
    assert.ok(mapped instanceof AuthnError);
    assert.equal(mapped.code, row.code);
  });
}
