// The routes of one (listener port, host key), in precedence order. Routes whose path match is
// Exact or a PathPrefix other than "/" are also indexed by their first path segment, so a host
// with thousands of routes only tests the few that can match the request's first segment plus
// the unindexed ones (regex, "/"), merged back into precedence order.
import type { CompiledRoute, RouteRequest } from './compile-router.ts';
import { matchesWithoutQuery, queryMatches, type RequestMatcher } from './request-matcher.ts';

export interface RouteEntry {
  readonly compiled: CompiledRoute;
  readonly matcher: RequestMatcher;
  readonly needsQuery: boolean;
  /** Position in the model's precedence order. */
  readonly order: number;
}

/** "orders" for "/orders/7", "" for "/". */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return end === -1 ? path.slice(1) : path.slice(1, end);
}

function entryMatches(entry: RouteEntry, request: RouteRequest, params: { value?: URLSearchParams }): boolean {
  if (!matchesWithoutQuery(entry.matcher, request.method, request.path, request.headers)) return false;
  return !entry.needsQuery || queryMatches(entry.matcher, (params.value ??= new URLSearchParams(request.query)));
}

export class RouteBucket {
  readonly #bySegment = new Map<string, RouteEntry[]>();
  readonly #unindexed: RouteEntry[] = [];

  /** Entries must be added in precedence order. */
  add(entry: RouteEntry): void {
    const path = entry.matcher.path;
    if (path.kind !== 'exact' && path.kind !== 'prefix') {
      this.#unindexed.push(entry);
      return;
    }
    const segment = firstSegment(path.value);
    const list = this.#bySegment.get(segment);
    if (list === undefined) this.#bySegment.set(segment, [entry]);
    else list.push(entry);
  }

  firstMatch(request: RouteRequest): CompiledRoute | undefined {
    const indexed = this.#bySegment.size === 0 ? undefined : this.#bySegment.get(firstSegment(request.path));
    const unindexed = this.#unindexed;
    const params: { value?: URLSearchParams } = {};
    let i = 0;
    let j = 0;
    const indexedLength = indexed === undefined ? 0 : indexed.length;
    while (i < indexedLength || j < unindexed.length) {
      // Take whichever list's next entry comes first in precedence order.
      const entry =
        j === unindexed.length || (i < indexedLength && (indexed as RouteEntry[])[i].order < unindexed[j].order)
          ? (indexed as RouteEntry[])[i++]
          : unindexed[j++];
      if (entryMatches(entry, request, params)) return entry.compiled;
    }
    return undefined;
  }
}
