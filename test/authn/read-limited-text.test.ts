// readLimitedText over a real HTTP server: a body under the limit reads whole (multi-byte UTF-8
// split across chunks included); a body over it is refused without being read to the end — the
// server sees the client go away while it is still writing an endless body.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { readLimitedText, ResponseTooLargeError } from '../../src/authn/read-limited-text.ts';

let server: Server;
let base = '';
let endlessClosed: Promise<void>;

before(async () => {
  let closed!: () => void;
  endlessClosed = new Promise((resolve) => (closed = resolve));
  server = createServer((req, res) => {
    if (req.url === '/small') {
      const body = Buffer.from('{"name":"héllo ✓"}');
      res.write(body.subarray(0, 10)); // splits the multi-byte characters across chunks
      res.end(body.subarray(10));
      return;
    }
    // /endless: writes 64 KiB chunks until the client hangs up.
    res.on('close', () => closed());
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('readLimitedText', () => {
  it('reads a body under the limit whole, from fetch and from undici.request', async () => {
    assert.equal(await readLimitedText((await fetch(`${base}/small`)).body, 1024), '{"name":"héllo ✓"}');
    assert.equal(await readLimitedText((await request(`${base}/small`)).body, 1024), '{"name":"héllo ✓"}');
  });

  it('refuses an endless body once it passes the limit, and stops reading it', async () => {
    for (const open of [async () => (await fetch(`${base}/endless`)).body, async () => (await request(`${base}/endless`)).body]) {
      await assert.rejects(readLimitedText(await open(), 256 * 1024), (error: unknown) => error instanceof ResponseTooLargeError && error.code === 'response_too_large');
    }
    await endlessClosed; // the server saw the connection end while it was still writing
  });

  it('reads a missing body as empty text', async () => {
    assert.equal(await readLimitedText(null, 10), '');
  });
});
