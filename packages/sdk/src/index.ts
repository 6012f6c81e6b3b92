// @gatehouse/sdk: what a service behind Gatehouse needs — verify that a request came through the
// gateway for this service, require scopes and roles, and call other services with
// client-credentials tokens over mutual TLS with a workload certificate from the Gatehouse CA.
// See README.md.
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
export { fetchCrl, fetchTrustBundle, renewCertificate, signCertificate } from './mtls/ca-client.ts';
export type { IssuedWorkloadCertificate, SignRequest } from './mtls/ca-client.ts';
export { workloadIdentityFromCa } from './mtls/ca-workload-identity.ts';
export type { CaWorkloadIdentityOptions } from './mtls/ca-workload-identity.ts';
export { workloadIdentityFromFiles } from './mtls/file-workload-identity.ts';
export type { FileWorkloadIdentityOptions } from './mtls/file-workload-identity.ts';
export { mtlsFetch } from './mtls/mtls-fetch.ts';
export type { MtlsFetch, MtlsFetchOptions, MtlsRequestInit } from './mtls/mtls-fetch.ts';
export { createMtlsServer, peerSpiffeId } from './mtls/mtls-server.ts';
export type { MtlsServerOptions } from './mtls/mtls-server.ts';
export { PEER_IDENTITY_MISMATCH } from './mtls/tls-agents.ts';
export { WorkloadCertificateError } from './mtls/workload-errors.ts';
export type { WorkloadErrorCode } from './mtls/workload-errors.ts';
export type { WorkloadIdentity, WorkloadMaterial } from './mtls/workload-material.ts';
