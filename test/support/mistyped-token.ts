// A token with its last character changed — to a character it did not already end with, so the
// result always differs from the original (a fixed replacement, e.g. always "0", leaves one token
// in 62 unchanged and makes a checksum test fail at random).
export function withLastCharacterChanged(token: string): string {
  const replacement = token.at(-1) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -1)}${replacement}`;
}
