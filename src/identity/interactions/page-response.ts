// Writes a rendered page with the security headers every page carries.
import type { ServerResponse } from 'node:http';
import { PAGE_HEADERS } from './security-headers.ts';

export function sendPage(res: ServerResponse, status: number, page: string, headers: Record<string, string> = {}): void {
  const body = Buffer.from(page, 'utf8');
  res.writeHead(status, { ...PAGE_HEADERS, ...headers, 'content-length': String(body.length) });
  res.end(body);
}
