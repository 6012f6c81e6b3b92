// Path normalization, so that what the router matches is what the upstream serves: a request
// for `/public/../admin` or `/%61dmin` must be matched as `/admin` (Envoy `normalize_path`,
// `merge_slashes`). Ambiguous encodings an upstream might read differently are refused.

const HEX = '0123456789ABCDEF';
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

/**
 * Returns the normalized path, or undefined when the path must be refused (400 path_invalid):
 * not origin-form, an invalid `%` escape, an encoded `/` or `\` (`%2F`, `%5C`: a router and an
 * upstream would split segments differently), a raw backslash, or a control character.
 */
export function normalizePath(rawPath: string): string | undefined {
  if (rawPath.length === 0 || rawPath.charCodeAt(0) !== 0x2f) return undefined;
  if (!NEEDS_NORMALIZING.test(rawPath)) return rawPath;
  let decoded = '';
  let needsSegmentPass = false;
  for (let i = 0; i < rawPath.length; i++) {
    const code = rawPath.charCodeAt(i);
    if (code === 0x25) {
      const high = hexValue(rawPath.charCodeAt(i + 1));
      const low = hexValue(rawPath.charCodeAt(i + 2));
      if (high < 0 || low < 0) return undefined;
      const byte = high * 16 + low;
      if (byte === 0x2f || byte === 0x5c) return undefined;
      if (isUnreserved(byte)) {
        decoded += String.fromCharCode(byte);
        if (byte === 0x2e) needsSegmentPass = true;
      } else {
        // Keep the escape, upper-cased (RFC 3986 §6.2.2.1), so equal paths compare equal.
        decoded += '%' + HEX[high] + HEX[low];
      }
      i += 2;
      continue;
    }
    if (code === 0x5c || code < 0x20 || code === 0x7f || code === 0x23) return undefined;
    if (code === 0x2e || (code === 0x2f && rawPath.charCodeAt(i + 1) === 0x2f)) needsSegmentPass = true;
    decoded += rawPath[i];
  }
  return needsSegmentPass ? resolveSegments(decoded) : decoded;
}

/** Merges `//` and removes `.` / `..` segments (RFC 3986 §5.2.4); `..` never climbs above `/`. */
function resolveSegments(path: string): string {
  const input = path.split('/');
  const output: string[] = [];
  for (let i = 1; i < input.length; i++) {
    const segment = input[i];
    if (segment === '' || segment === '.') continue;
    if (segment === '..') output.pop();
    else output.push(segment);
  }
  const last = input[input.length - 1];
  const endsAsDirectory = last === '' || last === '.' || last === '..';
  const joined = '/' + output.join('/');
  return endsAsDirectory && output.length > 0 ? joined + '/' : joined;
}
