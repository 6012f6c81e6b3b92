// @gatehouse/sdk: what a service behind Gatehouse needs — verify that a request came through the
// gateway for this service, require scopes and roles, and call other services with
// client-credentials tokens. See README.md.
export { clientCredentials } from './client-credentials.ts';
export type { ClientCredentials, ClientCredentialsOptions, TokenRequest } from './client-credentials.ts';
export { errorResponse } from './error-response.ts';
export { ClientCredentialsError, ERROR_STATUS, GatehouseAuthError } from './errors.ts';
export type { GatehouseErrorCode } from './errors.ts';
export { gatehouseExpress } from './express.ts';
export { gatehouseFastify } from './fastify.ts';
export { fetchWithToken } from './fetch-with-token.ts';
export type { GatehouseIdentity } from './identity.ts';
export { withGatehouse } from './node-http.ts';
export type { TrustPayloadHeaderOptions } from './payload-header.ts';
export { requireRoles, requireScopes } from './requirements.ts';
export type { Requirement } from './requirements.ts';
export { createRequestVerifier, verifyRequest } from './verify-request.ts';
export type { RequestVerifier, VerifyRequestOptions } from './verify-request.ts';
