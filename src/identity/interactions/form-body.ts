// Reads the small urlencoded bodies our forms post. Capped: a sign-in form is a few hundred
// bytes, and the service must not buffer whatever a client decides to send.
import type { IncomingMessage } from 'node:http';

const MAX_FORM_BYTES = 8 * 1024;

export class FormBodyError extends Error {
  readonly code: 'form_too_large' | 'form_unsupported_type';
  readonly status: number;
  constructor(code: FormBodyError['code'], message: string) {
    super(message);
    this.code = code;
    this.status = code === 'form_too_large' ? 413 : 415;
  }
}

/** The fields of an application/x-www-form-urlencoded body; the first value of a repeated field wins. */
export async function readFormBody(req: IncomingMessage): Promise<Map<string, string>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new FormBodyError('form_unsupported_type', 'expected an application/x-www-form-urlencoded form');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new FormBodyError('form_too_large', `form larger than ${MAX_FORM_BYTES} bytes`);
    chunks.push(chunk);
  }
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
    if (!fields.has(name)) fields.set(name, value);
  }
  return fields;
}
