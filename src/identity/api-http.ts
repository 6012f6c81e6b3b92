// What the account API and the admin API share on the wire: bounded request bodies (JSON or
// form), JSON answers that are never cached, and one mapping from IdentityError codes to status.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeUtf8, readBoundedBody, repeatedField } from './bounded-body.ts';
import { IdentityError, type IdentityErrorCode } from './identity-error.ts';

const MAX_BODY_BYTES = 16 * 1024;

export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = code;
  }
}

/** A JSON object or an application/x-www-form-urlencoded body; {} when empty. */
export async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const bytes = await readBoundedBody(req, MAX_BODY_BYTES);
  if (bytes === undefined) throw new ApiRequestError(413, 'body_too_large', `the request body exceeds ${MAX_BODY_BYTES} bytes`);
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new ApiRequestError(400, 'invalid_encoding', 'the request body is not valid UTF-8');
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(text);
    const repeated = repeatedField(params);
    // One value per field: which of two would count is a guess no client should rely on.
    if (repeated !== undefined) throw new ApiRequestError(400, 'invalid_request', `${repeated} is given more than once`);
    return Object.fromEntries(params);
  }
  if (type !== 'application/json') throw new ApiRequestError(415, 'unsupported_media_type', 'send application/json or application/x-www-form-urlencoded');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiRequestError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiRequestError(400, 'invalid_request', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  // Answers may carry secrets shown once (tokens, client secrets): never cache (RFC 9111 §5.2.2.5).
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

export function sendError(res: ServerResponse, status: number, code: string, description: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: code, error_description: description }, headers);
}

const STATUS_OF: Record<IdentityErrorCode, number> = {
  invalid_username: 400,
  weak_password: 400,
  invalid_client: 400,
  invalid_token_request: 400,
  user_exists: 409,
  client_exists: 409,
  token_name_taken: 409,
  user_not_found: 404,
  client_not_found: 404,
  token_not_found: 404,
  no_active_key: 503,
};

/** Known failures become their JSON error; anything else is a 500 that reveals nothing. */
export function sendFailure(res: ServerResponse, error: unknown): void {
  if (error instanceof ApiRequestError) return sendError(res, error.status, error.code, error.message);
  if (error instanceof IdentityError) return sendError(res, STATUS_OF[error.code], error.code, error.message);
  if (error instanceof URIError) return sendError(res, 400, 'invalid_request', 'malformed percent-encoding in the path');
  sendError(res, 500, 'server_error', 'the request could not be completed');
}

export function methodNotAllowed(res: ServerResponse, allowed: readonly string[]): void {
  sendError(res, 405, 'method_not_allowed', `use ${allowed.join(' or ')}`, { allow: allowed.join(', ') });
}

/** Optional string field of a body. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ApiRequestError(400, 'invalid_request', `${field} must be a string`);
  return value;
}

export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw new ApiRequestError(400, 'invalid_request', `${field} is required`);
  return value;
}

/** A list given as a JSON array of strings or a space-separated string (as OAuth writes scopes). */
export function stringList(body: Record<string, unknown>, field: string): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new ApiRequestError(400, 'invalid_request', `${field} must be a list of strings or a space-separated string`);
}
