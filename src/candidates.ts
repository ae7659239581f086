// Candidates: signatures → pairs of documents that agree on at least one LSH band.
import { fmix32, mix } from "./hash.js";

export interface LshParams {
  readonly bands: number;
  readonly rows: number;
}

/** Integrate f over [a, b] with Simpson's rule; the integrands here are smooth polynomials. */
function integrate(f: (x: number) => number, a: number, b: number): number {
  const steps = 200;
  const h = (b - a) / steps;
  let sum = f(a) + f(b);
  for (let i = 1; i < steps; i++) sum += f(a + i * h) * (i % 2 === 1 ? 4 : 2);
  return (sum * h) / 3;
}

/**
 * Choose bands × rows ≤ numHashes minimising the weighted area of false positives (pairs below
 * `threshold` that become candidates) plus false negatives (pairs above it that do not), as
 * datasketch's MinHashLSH does. A pair of Jaccard s becomes a candidate with probability
 * 1 - (1 - s^r)^b.
 */
export function lshParams(threshold: number, numHashes: number, fpWeight = 0.5, fnWeight = 0.5): LshParams {
  let best: LshParams = { bands: 1, rows: numHashes };
  let bestError = Infinity;
  for (let bands = 1; bands <= numHashes; bands++) {
    const maxRows = Math.floor(numHashes / bands);
    for (let rows = 1; rows <= maxRows; rows++) {
      const p = (s: number) => 1 - Math.pow(1 - Math.pow(s, rows), bands);
      const fp = integrate(p, 0, threshold);
      const fn = integrate((s) => 1 - p(s), threshold, 1);
      const error = fp * fpWeight + fn * fnWeight;
      if (error < bestError) {
        bestError = error;
        best = { bands, rows };
      }
    }
  }
  return best;
}

/** One 32-bit key per band: the rows of the band hashed together (numbers, never joined strings). */
export function bandKeys(sig: Uint32Array, params: LshParams): Uint32Array {
  const keys = new Uint32Array(params.bands);
  for (let b = 0; b < params.bands; b++) {
    let h = b;
    const off = b * params.rows;
    for (let r = 0; r < params.rows; r++) h = mix(h, sig[off + r]!);
    keys[b] = fmix32(h ^ params.rows);
  }
  return keys;
}

/** Band tables: for each band, key → indices of the documents with that key. */
export class BandTables {
  readonly tables: Map<number, number[]>[];
  constructor(readonly params: LshParams) {
    this.tables = Array.from({ length: params.bands }, () => new Map<number, number[]>());
  }

  add(index: number, keys: Uint32Array): void {
    for (let b = 0; b < keys.length; b++) {
      const table = this.tables[b]!;
      const bucket = table.get(keys[b]!);
      if (bucket) bucket.push(index);
      else table.set(keys[b]!, [index]);
    }
  }

  /** Indices sharing at least one band with `keys`, each once, ascending. An unseen key is no match. */
  query(keys: Uint32Array): number[] {
    const found = new Set<number>();
    for (let b = 0; b < keys.length; b++) {
      const bucket = this.tables[b]!.get(keys[b]!);
      if (bucket) for (const i of bucket) found.add(i);
    }
    return [...found].sort((x, y) => x - y);
  }

  /** Every pair (i < j) that shares a bucket, each once, as [i, j] in ascending order. */
  pairs(): Array<[number, number]> {
    const seen = new Set<number>();
    const out: Array<[number, number]> = [];
    let maxIndex = 0;
    for (const table of this.tables) for (const bucket of table.values()) for (const i of bucket) if (i > maxIndex) maxIndex = i;
    const stride = maxIndex + 1;
    for (const table of this.tables) {
      for (const bucket of table.values()) {
        for (let x = 0; x < bucket.length; x++) {
          for (let y = x + 1; y < bucket.length; y++) {
            const i = Math.min(bucket[x]!, bucket[y]!);
            const j = Math.max(bucket[x]!, bucket[y]!);
            const key = i * stride + j;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push([i, j]);
          }
        }
      }
    }
    return out.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  }
}
