// Reads an HTTP response body as UTF-8 text, giving up as soon as it passes a byte limit. The
// gateway fetches JWKS documents, token-exchange answers and SSO token responses from servers it
// is configured to trust, but a misbehaving one must not make it buffer an unbounded body:
// checking the length after `text()` would already have read it all.

export class ResponseTooLargeError extends Error {
  readonly code = 'response_too_large';
  constructor(maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/** `body`: a fetch Response body (a web ReadableStream) or an undici request body (a Readable). */
export async function readLimitedText(body: AsyncIterable<Uint8Array> | null | undefined, maxBytes: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the throw) returns the iterator, which cancels the stream.
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new ResponseTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
