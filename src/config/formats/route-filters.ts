// Gateway API HTTPRoute filters → model RouteFilters (Gateway API v1 HTTPRouteFilter).
import type { HeaderModifier, PathMatch, RouteFilter } from '../../model/gateway-model.ts';
import { DEFAULTS } from '../defaults.ts';
import { translateCors } from './cors-filter.ts';
import type { HttpRouteFilter } from '../schemas/http-route.ts';

type PathModifier = { type: 'ReplacePrefixMatch'; replacePrefixMatch: string } | { type: 'ReplaceFullPath'; replaceFullPath: string };
type HeaderModifierSpec = { set?: { name: string; value: string }[]; add?: { name: string; value: string }[]; remove?: string[] };

/** Translates one rule's filters for one of its matches; `report(path, message)` names the field. */
export function translateFilters(
  filters: HttpRouteFilter[], match: PathMatch, report: (path: string, message: string) => void,
): RouteFilter[] {
  const types = new Set(filters.map((filter) => filter.type));
  if (types.has('URLRewrite') && types.has('RequestRedirect')) {
    report('', 'URLRewrite and RequestRedirect cannot be used in the same rule');
  }
  return filters.map((filter, index): RouteFilter => {
    switch (filter.type) {
      case 'RequestHeaderModifier':
        return { type: 'RequestHeaderModifier', modifier: headerModifier(filter.requestHeaderModifier) };
      case 'ResponseHeaderModifier':
        return { type: 'ResponseHeaderModifier', modifier: headerModifier(filter.responseHeaderModifier) };
      case 'URLRewrite': {
        const rewrite: Extract<RouteFilter, { type: 'URLRewrite' }> = { type: 'URLRewrite' };
        if (filter.urlRewrite.hostname !== undefined) rewrite.hostname = filter.urlRewrite.hostname;
        if (filter.urlRewrite.path) rewrite.path = pathModifier(filter.urlRewrite.path, match, `[${index}].urlRewrite.path`, report);
        return rewrite;
      }
      case 'RequestRedirect': {
        const spec = filter.requestRedirect;
        const redirect: Extract<RouteFilter, { type: 'RequestRedirect' }> = {
          type: 'RequestRedirect',
          statusCode: spec.statusCode ?? DEFAULTS.route.redirectStatusCode,
        };
        if (spec.scheme !== undefined) redirect.scheme = spec.scheme;
        if (spec.hostname !== undefined) redirect.hostname = spec.hostname;
        if (spec.port !== undefined) redirect.port = spec.port;
        if (spec.path) redirect.path = pathModifier(spec.path, match, `[${index}].requestRedirect.path`, report);
        return redirect;
      }
      case 'CORS':
        return { type: 'CORS', cors: translateCors(filter.cors, (field, message) => report(`[${index}].cors.${field}`, message)) };
    }
  });
}

function headerModifier(spec: HeaderModifierSpec): HeaderModifier {
  // Header names are case-insensitive (RFC 9110 §5.1): the model keeps them lower-case.
  const lower = (entries: { name: string; value: string }[] | undefined) => (entries ?? []).map(({ name, value }) => ({ name: name.toLowerCase(), value }));
  return { set: lower(spec.set), add: lower(spec.add), remove: (spec.remove ?? []).map((name) => name.toLowerCase()) };
}

function pathModifier(
  spec: PathModifier, match: PathMatch, path: string, report: (path: string, message: string) => void,
): { type: 'ReplacePrefixMatch'; value: string } | { type: 'ReplaceFullPath'; value: string } {
  if (spec.type === 'ReplaceFullPath') return { type: 'ReplaceFullPath', value: spec.replaceFullPath };
  // Gateway API: ReplacePrefixMatch is only compatible with a PathPrefix match.
  if (match.type !== 'PathPrefix') report(path, `ReplacePrefixMatch needs a PathPrefix match; this match is ${match.type}`);
  return { type: 'ReplacePrefixMatch', value: spec.replacePrefixMatch };
}
