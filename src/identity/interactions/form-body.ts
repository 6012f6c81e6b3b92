// Reads the small urlencoded bodies our forms post. Capped: a sign-in form is a few hundred
// bytes, and the service must not buffer whatever a client decides to send.
import type { IncomingMessage } from 'node:http';
import { decodeUtf8, readBoundedBody, repeatedField } from '../bounded-body.ts';

const MAX_FORM_BYTES = 8 * 1024;

const STATUS = { form_too_large: 413, form_unsupported_type: 415, form_invalid: 400 } as const;

export class FormBodyError extends Error {
  readonly code: keyof typeof STATUS;
  readonly status: number;
  constructor(code: FormBodyError['code'], message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** The fields of an application/x-www-form-urlencoded body: valid UTF-8, each field at most once. */
export async function readFormBody(req: IncomingMessage): Promise<Map<string, string>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    throw new FormBodyError('form_unsupported_type', 'expected an application/x-www-form-urlencoded form');
  }
  const bytes = await readBoundedBody(req, MAX_FORM_BYTES);
  if (bytes === undefined) throw new FormBodyError('form_too_large', `form larger than ${MAX_FORM_BYTES} bytes`);
  const text = decodeUtf8(bytes);
  if (text === undefined) throw new FormBodyError('form_invalid', 'form is not valid UTF-8');
  const params = new URLSearchParams(text);
  // Our forms send each field once; a repeat (csrf=a&csrf=b) is tampering, not a choice to make.
  const repeated = repeatedField(params);
  if (repeated !== undefined) throw new FormBodyError('form_invalid', `field ${repeated} given more than once`);
  return new Map(params);
}
