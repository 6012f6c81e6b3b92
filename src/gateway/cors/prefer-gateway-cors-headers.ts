// The gateway owns CORS on routes with a CORS filter: the upstream's own Access-Control-* fields
// are dropped so a browser never sees two conflicting answers, and its Vary is merged with ours.
import type { ServerResponse } from 'node:http';

export function preferGatewayCorsHeaders(res: ServerResponse, upstream: Record<string, string | string[] | undefined>): void {
  for (const name in upstream) {
    if (name.startsWith('access-control-')) delete upstream[name];
  }
  const upstreamVary = upstream.vary;
  if (upstreamVary === undefined) return;
  const vary = Array.isArray(upstreamVary) ? upstreamVary.join(', ') : upstreamVary;
  upstream.vary = /(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary) ? vary : `${vary}, Origin`;
  res.removeHeader('vary');
}
