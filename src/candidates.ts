// Candidates: signatures → LSH band keys (bands × rows chosen from the options); the band tables
// (band-tables.ts) turn keys into candidate pairs.
import { fmix32, mix } from "./hash.js";
import type { ResolvedOptions } from "./options.js";

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
 * The bands × rows of `options`: given outright in `lsh`, or chosen by the optimiser below.
 */
export function lshParams(options: Pick<ResolvedOptions, "jaccard" | "numHashes" | "lsh">): LshParams {
  const { lsh } = options;
  if (lsh.bands !== undefined && lsh.rows !== undefined) return { bands: lsh.bands, rows: lsh.rows };
  const { falsePositive, falseNegative } = lsh.weights;
  const key = `${options.jaccard}/${options.numHashes}/${falsePositive}/${falseNegative}`;
  let params = chosen.get(key);
  if (!params) {
    params = optimise(options.jaccard, options.numHashes, falsePositive, falseNegative);
    chosen.set(key, params);
  }
  return params;
}

// The search evaluates every (bands, rows) pair with bands × rows ≤ numHashes, each by numerical
// integration: worth doing once per process, not on every call of a small batch.
const chosen = new Map<string, LshParams>();

/**
 * Choose bands × rows ≤ numHashes minimising the weighted area of false positives (pairs below
 * `threshold` that become candidates) plus false negatives (pairs above it that do not), as
 * datasketch's MinHashLSH does. A pair of Jaccard s becomes a candidate with probability
 * 1 - (1 - s^r)^b.
 */
function optimise(threshold: number, numHashes: number, fpWeight: number, fnWeight: number): LshParams {
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

/**
 * One 32-bit key per band: the rows of the band hashed together (numbers, never joined strings).
 * `into` lets a batch reuse one buffer: BandTables.add copies the keys.
 */
export function bandKeys(sig: Uint32Array, params: LshParams, into: Uint32Array = new Uint32Array(params.bands)): Uint32Array {
  const keys = into;
  for (let b = 0; b < params.bands; b++) {
    let h = b;
    const off = b * params.rows;
    for (let r = 0; r < params.rows; r++) h = mix(h, sig[off + r]!);
    keys[b] = fmix32(h ^ params.rows);
  }
  return keys;
}
