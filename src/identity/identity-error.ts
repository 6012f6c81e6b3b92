// Failures of the identity layer (accounts, clients, API tokens, keys) carry a stable code that
// the account API, the admin API and the CLI map to a status or exit code in one place each;
// callers branch on the code, never on the message.

export type IdentityErrorCode =
  | 'invalid_username'
  | 'weak_password'
  | 'user_exists'
  | 'user_not_found'
  | 'invalid_client'
  | 'client_exists'
  | 'client_not_found'
  | 'invalid_token_request'
  | 'token_name_taken'
  | 'token_not_found'
  | 'no_active_key';

export class IdentityError extends Error {
  readonly code: IdentityErrorCode;

  constructor(code: IdentityErrorCode, message: string) {
    super(message);
    this.name = 'IdentityError';
    this.code = code;
  }
}
