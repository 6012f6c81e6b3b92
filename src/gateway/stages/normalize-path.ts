// Path normalization, so that what the router and the policies match is what the upstream
// serves: `/public/../admin` or `/%61dmin` must be matched as `/admin` (Envoy `normalize_path`,
// `merge_slashes`). Configurable like Istio's meshConfig `pathNormalization`; the gateway's
// default is MERGE_SLASHES with encoded slashes refused (Envoy REJECT_REQUEST), because an
// upstream may split `%2F` into segments where the router did not (CVE-2021-31920).
import { DEFAULT_PATH_NORMALIZATION, type EscapedSlashesAction, type PathNormalization } from '../../model/path-normalization.ts';

/** The normalized path; undefined = refuse (400 path_invalid); `redirectTo` = answer 307 there. */
export type NormalizedPath = string | undefined | { redirectTo: string };
export type PathNormalizer = (rawPath: string) => NormalizedPath;

const HEX = '0123456789ABCDEF';
const ESCAPED_SLASH = /%2f|%5c/gi;
/** Anything that may need decoding, rejecting or segment resolution; most paths have none. */
const NEEDS_NORMALIZING = /[%\\\x00-\x1f\x7f#]|\/\/|\/\./;

/** RFC 3986 §2.3 unreserved characters: decoding them never changes meaning (§6.2.2.2). */
function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e // - . _ ~
  );
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Compiled once per generation: the settings are closed over, the hot path only tests. */
export function compilePathNormalizer(settings: PathNormalization): PathNormalizer {
  const { normalization } = settings;
  // Istio: DECODE_AND_MERGE_SLASHES decodes %2F/%5C before merging (Envoy UNESCAPE_AND_FORWARD).
  const escaped = normalization === 'DECODE_AND_MERGE_SLASHES' ? 'UNESCAPE_AND_FORWARD' : settings.escapedSlashes;
  const mergeSlashes = normalization !== 'BASE';
  return (rawPath) => {
    if (rawPath.length === 0 || rawPath.charCodeAt(0) !== 0x2f) return undefined;
    if (!NEEDS_NORMALIZING.test(rawPath)) return rawPath;
    if (normalization === 'NONE') return checkOnly(rawPath, escaped);
    return normalize(rawPath, escaped, mergeSlashes);
  };
}

const defaultNormalizer = compilePathNormalizer(DEFAULT_PATH_NORMALIZATION);

/** The default normalization (MERGE_SLASHES, encoded slashes refused): a path or undefined. */
export function normalizePath(rawPath: string): string | undefined {
  return defaultNormalizer(rawPath) as string | undefined;
}

/**
 * Decodes unreserved escapes, handles `%2F`/`%5C` by `escaped`, resolves `.`/`..` and (unless
 * BASE) merges slashes. Always refused: an invalid `%` escape, `%00`/control characters
 * (Istio: %00 is always a 400), a raw backslash (Envoy would turn it into `/`; refusing is the
 * stricter choice for an edge gateway) and `#`.
 */
function normalize(rawPath: string, escaped: EscapedSlashesAction, mergeSlashes: boolean): NormalizedPath {
  let decoded = '';
  let needsSegmentPass = false;
  let unescapedSlash = false;
  for (let i = 0; i < rawPath.length; i++) {
    const code = rawPath.charCodeAt(i);
    if (code === 0x25) {
      const high = hexValue(rawPath.charCodeAt(i + 1));
      const low = hexValue(rawPath.charCodeAt(i + 2));
      if (high < 0 || low < 0) return undefined;
      const byte = high * 16 + low;
      i += 2;
      if (byte === 0x2f || byte === 0x5c) {
        if (escaped === 'REJECT_REQUEST') return undefined;
        if (escaped === 'KEEP_UNCHANGED') {
          decoded += '%' + HEX[high] + HEX[low];
        } else {
          // Decoded `\` becomes `/`, as Envoy's normalize_path does after unescaping.
          decoded += '/';
          unescapedSlash = true;
          needsSegmentPass = true;
        }
        continue;
      }
      if (byte < 0x20 || byte === 0x7f) return undefined;
      if (isUnreserved(byte)) {
        decoded += String.fromCharCode(byte);
        if (byte === 0x2e) needsSegmentPass = true;
      } else {
        // Keep the escape, upper-cased (RFC 3986 §6.2.2.1), so equal paths compare equal.
        decoded += '%' + HEX[high] + HEX[low];
      }
      continue;
    }
    if (code === 0x5c || code < 0x20 || code === 0x7f || code === 0x23) return undefined;
    if (code === 0x2e || (code === 0x2f && rawPath.charCodeAt(i + 1) === 0x2f)) needsSegmentPass = true;
    decoded += rawPath[i];
  }
  const path = needsSegmentPass ? resolveSegments(decoded, mergeSlashes) : decoded;
  return unescapedSlash && escaped === 'UNESCAPE_AND_REDIRECT' ? { redirectTo: path } : path;
}

/** NONE: forwarded as received (Istio), except what no upstream should ever see. */
function checkOnly(rawPath: string, escaped: EscapedSlashesAction): NormalizedPath {
  for (let i = 0; i < rawPath.length; i++) {
    const code = rawPath.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x23) return undefined;
    if (code !== 0x25) continue;
    const high = hexValue(rawPath.charCodeAt(i + 1));
    const low = hexValue(rawPath.charCodeAt(i + 2));
    if (high < 0 || low < 0) return undefined;
    const byte = high * 16 + low;
    if (byte === 0) return undefined;
    if ((byte === 0x2f || byte === 0x5c) && escaped !== 'KEEP_UNCHANGED') {
      if (escaped === 'REJECT_REQUEST') return undefined;
      // NONE changes nothing else: only the escaped slashes are unescaped.
      const unescaped = rawPath.replace(ESCAPED_SLASH, '/');
      return escaped === 'UNESCAPE_AND_REDIRECT' ? { redirectTo: unescaped } : unescaped;
    }
    i += 2;
  }
  return rawPath;
}

/** Removes `.` / `..` segments (RFC 3986 §5.2.4) and merges `//` when asked; `..` never climbs above `/`. */
function resolveSegments(path: string, mergeSlashes: boolean): string {
  const input = path.split('/');
  const last = input.length - 1;
  const output: string[] = [];
  for (let i = 1; i <= last; i++) {
    const segment = input[i];
    if (segment === '.') continue;
    if (segment === '..') output.pop();
    else if (segment !== '' || !mergeSlashes || i === last) output.push(segment);
  }
  const joined = '/' + output.join('/');
  const endsAsDirectory = input[last] === '.' || input[last] === '..';
  return endsAsDirectory && output.length > 0 && !joined.endsWith('/') ? joined + '/' : joined;
}
