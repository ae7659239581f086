// Fingerprint: one document's units → its repeat count, shingle set and MinHash signature.
// The stages (repeats, boilerplate) → tokenize → shingle → signature, in order, for one document.
import { units, type Unit } from "./normalize.js";
import type { ResolvedOptions } from "./options.js";
import { findRepeats, onceSpans } from "./repeats.js";
import { shingleHashes } from "./shingle.js";
import { signature } from "./signature.js";
import { tokenHashes } from "./tokenize.js";

/** What the later stages know of a document. */
export interface Fingerprint {
  /** Copies of its own text the document holds (1 for most documents). */
  readonly repeats: number;
  /** Sorted distinct shingle hashes of the de-repeated text. */
  readonly shingles: Uint32Array;
  /** MinHash signature of `shingles`; null when there are no words to compare. */
  readonly signature: Uint32Array | null;
  /** When the document holds its text several times: where its text is, once (see onceSpans). */
  readonly once?: Uint32Array;
}

export type FingerprintOptions = Pick<ResolvedOptions, "shingleSize" | "numHashes" | "seed">;

/**
 * Fingerprint a document from its units (normalize.ts). Units whose hash is in `skip` (site
 * template lines, see boilerplate.ts) are left out. With the document's `text`, a document that
 * holds its text several times also gets its `once` spans.
 */
export function fingerprint(all: readonly Unit[], options: FingerprintOptions, skip?: ReadonlySet<number>, text?: string): Fingerprint {
  const compared = skip ? withoutSkipped(all, skip) : all;
  const { count, unique } = findRepeats(compared);
  const print = { repeats: count, ...shingleAndSign(unique, options) };
  if (count === 1 || text === undefined) return print;
  // The text once, over every unit: what a deduplicated corpus writes for this document.
  const once = onceSpans(text, all, skip ? findRepeats(all) : { count, unique });
  return once ? { ...print, once } : print;
}

/**
 * The units not in `skip`. A paragraph that loses some of its lines counts each remaining line as
 * a paragraph of its own (see findRepeats): what is left of a template block is not its text.
 */
function withoutSkipped(all: readonly Unit[], skip: ReadonlySet<number>): Unit[] {
  const out: Unit[] = [];
  for (let i = 0; i < all.length; ) {
    let j = i + 1;
    while (j < all.length && all[j]!.para === all[i]!.para) j++;
    const block = all.slice(i, j);
    const kept = block.filter((u) => !skip.has(u.hash));
    if (kept.length === block.length) out.push(...block);
    else for (const u of kept) out.push({ ...u, para: -1 - out.length });
    i = j;
  }
  return out;
}

/** The fingerprint of a text, when its units are not wanted afterwards (an index keeps none). */
export function fingerprintText(text: string, options: FingerprintOptions, skip?: ReadonlySet<number>): Fingerprint {
  return fingerprint(units(text), options, skip, text);
}

/** Shingles and signature of a list of units, compared as one text. */
export function shingleAndSign(list: readonly Unit[], options: FingerprintOptions): Pick<Fingerprint, "shingles" | "signature"> {
  const text = list.map((u) => u.text).join(" ");
  const shingles = shingleHashes(tokenHashes(text), options.shingleSize, options.seed);
  const sig = shingles.length === 0 ? null : signature(shingles, options.numHashes, options.seed);
  return { shingles, signature: sig };
}
