// The pages' static files: one stylesheet, read once at start-up and served from memory with a
// strong ETag, so a restyle is an edit of assets/gatehouse.css and a restart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASSET_HEADERS } from './security-headers.ts';
import { STYLESHEET_PATH } from './views/layout.ts';

interface Asset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

function loadAsset(fileName: string, contentType: string): Asset {
  const body = readFileSync(new URL(`./assets/${fileName}`, import.meta.url));
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** Serves the pages' assets; false when the path is not one of them. */
export function createAssetHandler(): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const assets = new Map<string, Asset>([[STYLESHEET_PATH, loadAsset('gatehouse.css', 'text/css; charset=utf-8')]]);
  return (req, res, path) => {
    const asset = assets.get(path);
    if (asset === undefined) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-length': '0' }).end();
      return true;
    }
    const headers = { ...ASSET_HEADERS, 'content-type': asset.contentType, etag: asset.etag };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': String(asset.body.length) });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}
