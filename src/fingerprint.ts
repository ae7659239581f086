// Fingerprint: one document's text → paragraphs, repeat count, shingle set and signature.
// The stages normalize → (repeats, boilerplate) → tokenize → shingle → signature, in order, for one document.
import { withoutBoilerplate } from "./boilerplate.js";
import { paragraphs, type Paragraph } from "./normalize.js";
import type { ResolvedOptions } from "./options.js";
import { findRepeats } from "./repeats.js";
import { shingleHashes } from "./shingle.js";
import { signature } from "./signature.js";
import { tokenHashes } from "./tokenize.js";

export interface Fingerprint {
  readonly paragraphs: Paragraph[];
  /** Copies of its own text the document holds (1 for most documents). */
  readonly repeats: number;
  /** Sorted distinct shingle hashes of the de-repeated text. */
  readonly shingles: Uint32Array;
  /** MinHash signature of `shingles`; null when there are no words to compare. */
  readonly signature: Uint32Array | null;
}

type FingerprintOptions = Pick<ResolvedOptions, "shingleSize" | "numHashes" | "seed">;

/** With `boilerplate` (hashes of site-template lines, see boilerplate.ts), those lines are left out. */
export function fingerprint(text: string, options: FingerprintOptions, boilerplate?: ReadonlySet<number>): Fingerprint {
  const paras = paragraphs(text);
  const compared = boilerplate ? withoutBoilerplate(text, paras, boilerplate) : paras;
  const { count, unique } = findRepeats(compared);
  return { paragraphs: paras, repeats: count, ...shingleAndSign(unique, options) };
}

/** Shingles and signature of a list of paragraphs, compared as one text. */
export function shingleAndSign(paras: readonly Paragraph[], options: FingerprintOptions) {
  const text = paras.map((p) => p.text).join(" ");
  const shingles = shingleHashes(tokenHashes(text), options.shingleSize, options.seed);
  const sig = shingles.length === 0 ? null : signature(shingles, options.numHashes, options.seed);
  return { shingles, signature: sig };
}
