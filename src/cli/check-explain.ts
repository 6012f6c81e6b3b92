// `gatehouse check --explain`: parse the request the user describes, run the dry-run in
// src/authz/explain.ts and print the decision in the words an operator needs — which policy
// and rule decided, which AUDIT policies matched, and the status the client would get.
import { ExplainInputError, explainRequest, type Explanation } from '../authz/explain.ts';
import type { GatewayModel } from '../model/gateway-model.ts';
import { UsageError } from './cli-errors.ts';

/** Exit status when the request would be refused (documented in `gatehouse check --help`). */
export const EXIT_DENIED = 3;

export interface ExplainArgs {
  explain: string;
  claims?: string;
  headers?: string[];
  sourceIp?: string;
}

export async function runExplain(model: GatewayModel, args: ExplainArgs): Promise<number> {
  const [method, url, ...extra] = args.explain.trim().split(/\s+/);
  if (url === undefined || extra.length > 0) throw new UsageError('check', `--explain takes 'METHOD URL', e.g. 'GET https://api.example.com/users'`);
  let explanation: Explanation;
  try {
    explanation = await explainRequest(model, {
      method: method.toUpperCase(),
      url,
      headers: parseHeaders(args.headers ?? []),
      claims: parseClaims(args.claims),
      sourceIp: args.sourceIp ?? '127.0.0.1',
    });
  } catch (error) {
    if (error instanceof ExplainInputError) throw new UsageError('check', error.message);
    throw error;
  }
  process.stdout.write(formatExplanation(`${method.toUpperCase()} ${url}`, explanation));
  return explanation.status === 200 ? 0 : EXIT_DENIED;
}

export function formatExplanation(request: string, explanation: Explanation): string {
  const { decision } = explanation;
  const lines = [
    ['request', request],
    ['listener', explanation.listener],
    ['route', explanation.route ?? '(none matches)'],
    ['path', explanation.path],
    ['principal', explanation.principal ?? '(anonymous)'],
  ];
  if (explanation.location !== undefined) {
    lines.push(['decision', 'redirect (answered before authentication)']);
  } else if (decision === undefined) {
    lines.push(['decision', explanation.route !== undefined && explanation.reason === undefined ? 'allow (no policy applies to the route)' : 'not reached']);
  } else {
    lines.push(['decision', `${decision.allowed ? 'allow' : 'deny'}: ${decision.reason}`]);
    lines.push(['policy', decision.policy === undefined ? '(none)' : `${decision.policy} (${decision.action}), rule ${decision.rule ?? '-'}`]);
    lines.push(['audit', decision.audited.length > 0 ? decision.audited.join(', ') : '(none)']);
  }
  let status = String(explanation.status);
  if (explanation.reason !== undefined) status += ` ${explanation.reason}`;
  if (explanation.bearerError !== undefined) status += ` (${explanation.bearerError}; scope "${explanation.requiredScopes?.join(' ')}")`;
  lines.push(['status', status]);
  if (explanation.location !== undefined) lines.push(['location', explanation.location]);
  const width = Math.max(...lines.map(([label]) => label.length)) + 1;
  return lines.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}\n`).join('');
}

function parseClaims(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(text);
  } catch (error) {
    throw new UsageError('check', `--claims is not JSON: ${(error as Error).message}`);
  }
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw new UsageError('check', '--claims must be a JSON object');
  return claims as Record<string, unknown>;
}

function parseHeaders(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError('check', `--header "${value}" is not "name: value"`);
    headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
  }
  return headers;
}
