// Load: an index file's documents read straight into a memory store's chunks and checked, and
// what the file does not store, derived from them: content keys and frozen band buckets.
import type { HashSlots } from "../band-tables.js";
import { bandKeys, type LshParams } from "../candidates.js";
import { dedupeError } from "../errors.js";
import { leadSignatureOf, MAX_LEAD } from "../fingerprint.js";
import { NUMBERS } from "../numbers.js";
import { LEAD_PARAMS } from "../link.js";
import { contentKey, type Entry } from "../match.js";
import { SECTIONS, type LoadPlan } from "../persist.js";
import { CHUNK, CHUNK_BITS, EMPTY, HAS_SIG, idOf, setId, SLOT, UNINDEXED, type Chunk } from "./chunks.js";
import { eachId, hashBytes, sameBytes, type IdTable } from "./ids.js";
import { FrozenBuckets } from "./frozen.js";

/** A sketch to fill again and again (sketchOf): deriving keys allocates nothing per document. */
export type SketchSlot = { -readonly [K in keyof Entry]: Entry[K] };
export const sketchSlot = (): SketchSlot => ({ id: "", scheme: "news-dedupe", time: null, size: 0, signature: EMPTY, lead: EMPTY, numbers: EMPTY });

/** A slot's sketch in `into`, for deriving its keys (k: values per signature). */
export function sketchOf(c: Chunk, slot: number, k: number, into: SketchSlot): Entry {
  // Read only by index, as numbers: a Uint16Array serves as well (contentKey, indexKeys).
  into.signature = c.sigs.subarray(slot * k, (slot + 1) * k) as Uint32Array;
  into.size = c.sizes[slot]!;
  into.lead = c.leads.subarray(slot * MAX_LEAD, slot * MAX_LEAD + c.leadCounts[slot]!);
  return into;
}

/**
 * Fill `chunks` (allocated for plan.count documents, in order) from the plan, section by section
 * in the file's order, check the checksum and every document's fields, and give each its id
 * (its bytes in its chunk, and in `ids`). O(n), nothing grown but a chunk's id bytes.
 */
export function fillChunks(plan: LoadPlan, chunks: readonly Chunk[], ids: IdTable): void {
  const bytes = (a: Uint32Array | Int32Array | Uint16Array | Uint8Array | Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (const section of SECTIONS) {
    chunks.forEach((c, i) => plan.fill(section, i * CHUNK, c.filled, bytes(c[section === "canonical" ? "canon" : section])));
  }
  plan.finish();
  const corrupt = (i: number, why = "has impossible fields") => dedupeError("INDEX_CORRUPT", undefined, `document #${i} ${why}`);
  // One comparison closure for the whole load, over the id being placed: none per document.
  let placing: Uint8Array = new Uint8Array(0);
  const same = (d: number) => sameBytes(idOf(chunks[d >>> CHUNK_BITS]!, d & SLOT), placing);
  eachId(plan.ids, plan.count, (id, i) => {
    const c = chunks[i >>> CHUNK_BITS]!;
    const slot = i & SLOT;
    const canonical = c.canon[slot]!;
    if (canonical < 0 || canonical > i || c.leadCounts[slot]! > MAX_LEAD || c.numberCounts[slot]! > NUMBERS) throw corrupt(i);
    const hash = hashBytes(id);
    placing = id;
    if (id.length === 0 || ids.find(hash, same) !== -1) throw corrupt(i, "has an empty or repeated id");
    setId(c, slot, id);
    ids.add(hash, i);
    c.live++;
    const t = c.times[slot]!;
    if (t < c.oldest) c.oldest = t;
  });
}

/**
 * The content keys (into `contentKeys`) and band buckets of n loaded documents: the band keys
 * computed document by document into one array per band, then frozen (frozen.ts), which sorts
 * each band's keys into groups instead of inserting them one by one into hash tables with chains.
 * `bands`: the signature's bands, plus the lead's when it has them.
 */
export function deriveKeys(chunks: readonly Chunk[], n: number, k: number, params: LshParams, seed: number, bands: number, contentKeys: HashSlots): FrozenBuckets {
  const entry = sketchSlot();
  const keys = Array.from({ length: bands }, () => new Uint32Array(n));
  const bandsOf = new Uint8Array(n);
  const main = new Uint32Array(params.bands);
  const lead = new Uint32Array(LEAD_PARAMS.bands);
  for (let i = 0; i < n; i++) {
    const c = chunks[i >>> CHUNK_BITS]!;
    const slot = i & SLOT;
    if (!(c.flags[slot]! & HAS_SIG)) continue;
    const sketch = sketchOf(c, slot, k, entry);
    contentKeys.set(contentKey(sketch)!, i);
    if (c.flags[slot]! & UNINDEXED) continue;
    // match.ts indexKeys, into buffers reused across documents.
    bandKeys(sketch.signature!, params, main);
    for (let b = 0; b < main.length; b++) keys[b]![i] = main[b]!;
    bandsOf[i] = main.length;
    const leadSignature = leadSignatureOf(sketch.lead, seed);
    if (!leadSignature || bands === main.length) continue;
    bandKeys(leadSignature, LEAD_PARAMS, lead);
    for (let b = 0; b < lead.length; b++) keys[main.length + b]![i] = lead[b]!;
    bandsOf[i] = bands;
  }
  return FrozenBuckets.build(keys, bandsOf, n);
}
