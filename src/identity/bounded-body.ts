// Reads a request body up to a limit, for the account and admin APIs, the interaction forms and
// the CA endpoints (src/pki/ca-routes.ts).
// An oversized body is read on and discarded (up to DRAIN_LIMIT_BYTES) instead of abandoned:
// leaving the stream half-read destroys the socket, and the client would see a connection reset
// instead of the 413 it is owed. Past the drain limit the connection is dropped after all.
import type { IncomingMessage } from 'node:http';

const DRAIN_LIMIT_BYTES = 8 * 1024 * 1024;

/** The body, or undefined when it exceeds maxBytes (the caller answers 413). */
export async function readBoundedBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > DRAIN_LIMIT_BYTES) return undefined;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? undefined : Buffer.concat(chunks);
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or undefined when it is not valid UTF-8 (no silent U+FFFD replacement). */
export function decodeUtf8(body: Buffer): string | undefined {
  try {
    return STRICT_UTF8.decode(body);
  } catch {
    return undefined;
  }
}

/** The name of the first field given more than once, if any (RFC 6749 §3.1 forbids repeats too). */
export function repeatedField(params: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}
