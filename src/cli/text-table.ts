// Plain-text tables for the CLI's `… list` commands (identity users, clients, tokens, keys; ca): a
// header row, columns padded to their widest cell, two spaces apart.

export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column].length)));
  return `${all.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n')}\n`;
}

/** Epoch seconds as an ISO 8601 UTC time without milliseconds; '-' when absent. */
export function formatTime(epochSeconds: number | undefined): string {
  return epochSeconds === undefined ? '-' : new Date(epochSeconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
}
