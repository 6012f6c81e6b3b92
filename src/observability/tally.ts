// Per-request counts kept as plain numbers between scrapes and folded into a prom-client Counter
// when it is collected. prom-client hashes the label object on every `inc` (a string built per
// call); the hot path instead bumps a number in a row array (issue 7: no per-request label
// lookups). Rows are label values fixed per row (a route id, a policy name); columns are a small
// fixed set (status classes, outcomes).
export class Tally {
  readonly #width: number;
  readonly #rows = new Map<string, number[]>();

  constructor(width: number) {
    this.#width = width;
  }

  add(row: string, column: number): void {
    let counts = this.#rows.get(row);
    if (counts === undefined) this.#rows.set(row, (counts = new Array<number>(this.#width).fill(0)));
    counts[column]++;
  }

  /** Hands every non-zero count to `flush`, then starts again from zero (rows are kept). */
  drain(flush: (row: string, column: number, count: number) => void): void {
    for (const [row, counts] of this.#rows) {
      for (let column = 0; column < counts.length; column++) {
        if (counts[column] === 0) continue;
        flush(row, column, counts[column]);
        counts[column] = 0;
      }
    }
  }
}
