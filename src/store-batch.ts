// Store batch: addMany() over a Store — a batch of documents begun together, decided in order
// (each seeing the batch's earlier ones, and the window as add() would move it), committed together.
import { randomUUID } from "node:crypto";
import type { LshParams } from "./candidates.js";
import { DedupeError, dedupeError, fail } from "./errors.js";
import { checkScheme, contentKey, indexed, indexKeys, record, sameContent, type Candidate, type Entry, type IndexDoc, type Sketch } from "./match.js";
import type { ResolvedOptions } from "./options.js";
import { PER_BAND, type BatchWrite, type NewDoc, type Scheme, type Store } from "./store/store.js";
import type { Match } from "./types.js";

/** Conflicting attempts (another worker added a document sharing a band meanwhile) before an add gives up. */
export const MAX_ATTEMPTS = 100;

/** What a batch needs of the index it runs in (store-index.ts StoreIndex). */
export interface BatchHost {
  readonly store: Store;
  readonly options: ResolvedOptions;
  readonly params: LshParams;
  /** Tokens of adds whose outcome a failure hid: re-adding the id recognises its own write. */
  readonly pending: Map<string, string>;
  scheme: Scheme | null;
  newest: number | null;
  added: number;
  entry(doc: IndexDoc, position: number): Entry;
  decide(entry: Entry, members: readonly Candidate[], others?: ReadonlyMap<string, Candidate>, live?: (c: Candidate) => boolean): Promise<Match | null>;
  addNow(doc: IndexDoc): Promise<Match | null>;
}

/**
 * A batch through Store.beginMany: every document checked first (a bad one fails the call before
 * anything is written), then begun together, decided in order — each seeing the earlier ones of
 * the batch as it would after their add() — and committed together. Documents the commit refused
 * (another worker wrote into what they read, or they may have counted on a refused one) are begun
 * again, in order.
 */
export async function addBatch(host: BatchHost, docs: readonly IndexDoc[]): Promise<Array<Match | null>> {
  if (!Array.isArray(docs)) fail("INVALID_OPTION", undefined, "docs", "of addMany() must be an array of documents");
  const entries: Entry[] = [];
  const first = new Map<string, number>();
  for (const doc of docs) {
    const reserved = typeof doc === "string" ? await host.store.reserve() : undefined;
    const entry = host.entry(doc, reserved ?? host.added + entries.length);
    if (entries.length) checkScheme(entries[0]!.scheme, entry);
    const seen = first.get(entry.id);
    if (seen !== undefined) fail("DUPLICATE_ID", entry.id, `${seen} of this addMany() call`);
    first.set(entry.id, entries.length);
    entries.push(entry);
  }
  if (!host.store.beginMany) {
    // One by one (checked above already), past an id already in the index, as with beginMany.
    const out: Array<Match | null> = [];
    let duplicate: unknown = null;
    for (const doc of docs) {
      try {
        out.push(await host.addNow(doc));
      } catch (error) {
        if (!(error instanceof DedupeError && error.code === "DUPLICATE_ID")) throw error;
        duplicate ??= error;
        out.push(null);
      }
    }
    if (duplicate) throw duplicate;
    return out;
  }
  const items = entries.map((e) => ({ id: e.id, bands: indexKeys(e, host.params, host.options.seed), key: contentKey(e) }));
  const tokens = entries.map((e) => host.pending.get(e.id) ?? randomUUID());
  const answers: Array<Match | null> = entries.map(() => null);
  // The window, as add() would move it document by document: each one's time, the horizon it is
  // matched under and where the last eviction before it happened (-1: before the batch). The
  // store evicts at the first document's horizon before the batch and at the last one's after
  // it; in between, each document steps over what the evictions before it would have forgotten.
  const window = host.options.window;
  const times: Array<number | null> = [];
  const horizons: number[] = [];
  const evictedAt: number[] = [];
  let horizon = window !== null && host.newest !== null ? host.newest - window : -Infinity;
  // k: an eviction before document k was stored; k + 0.5: right after it (a late document).
  let last = -1;
  for (const [i, e] of entries.entries()) {
    const time = e.time ?? host.newest;
    times.push(time);
    if (e.time !== null && (host.newest === null || e.time > host.newest)) {
      host.newest = e.time;
      if (window !== null) [horizon, last] = [e.time - window, i];
    }
    horizons.push(horizon);
    evictedAt.push(last);
    // A late document, already outside the window, is answered and then forgotten at once.
    if (window !== null && host.newest !== null && (time === null || time < horizon)) last = i + 0.5;
  }
  if (evictedAt[0] === 0) await host.store.evict(horizons[0]!);
  const position = new Map<string, number>();
  const alive = (c: Candidate, i: number) =>
    evictedAt[i]! <= (position.get(c.id) ?? -1) || ((c as { time?: number | null }).time ?? -Infinity) >= horizons[i]!;
  let duplicate: unknown = null;
  let todo = entries.map((_, i) => i);
  for (let attempt = 1; todo.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) fail("INDEX_STORE", undefined, `adding "${entries[todo[0]!]!.id}" conflicted with other workers ${MAX_ATTEMPTS} times in a row`);
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
    const batch = await host.store.beginMany(todo.map((i) => items[i]!));
    if (batch.scheme) host.scheme = batch.scheme;
    checkScheme(host.scheme, entries[0]!);
    const writes: BatchWrite[] = [];
    const local = new Overlay();
    // Every document this round can look up: what the read returned, then the batch's own.
    const known = new Map<string, Candidate>();
    for (const c of [...batch.others, ...batch.views.flatMap((v) => (v.exact ? [v.exact, ...v.members] : v.members))]) known.set(c.id, c);
    for (let p = 0; p < todo.length; p++) {
      const i = todo[p]!;
      const entry = entries[i]!;
      const view = batch.views[p]!;
      if (view.existing) {
        if (view.existing.token === tokens[i] && tokens[i] !== "") answers[i] = view.existing.match;
        else duplicate ??= dedupeError("DUPLICATE_ID", entry.id, `${view.existing.n} in the index`);
        continue;
      }
      const live = (c: Candidate) => alive(c, i);
      // A copy whose canonical the window has forgotten stands on its own, as in the store.
      const own = (c: Candidate): Candidate => {
        if (c.canonical === c.id) return c;
        const canonical = known.get(c.canonical);
        return canonical && !live(canonical) ? { ...c, canonical: c.id } : c;
      };
      const { bands, key } = items[i]!;
      // An exact duplicate of a stored document, or of an earlier one of the batch, is matched through it alone.
      // The latest document with the content key answers for it (gone with it): of the batch, else stored.
      const mine = key === null ? undefined : local.exact(key);
      const held = mine ? (live(mine) ? mine : undefined) : view.exact && live(view.exact) ? view.exact : null;
      const same = held && sameContent(entry, held) ? held : null;
      let members: readonly Candidate[];
      if (same) members = [same];
      else if (view.exact) {
        // The read found a content-key holder and skipped the buckets: read them now.
        const more = await host.store.beginMany([{ id: null, bands, key: null }]);
        for (const c of [...more.others, ...more.views[0]!.members]) if (!known.has(c.id)) known.set(c.id, c);
        members = [...local.members(bands, live), ...more.views[0]!.members.filter(live)];
      }
      else members = [...local.members(bands, live), ...view.members.filter(live)];
      const match = await host.decide(entry, members.map(own), known, live);
      answers[i] = match;
      const placement = { indexed: indexed(entry, match, same !== null, host.options), key };
      const doc = record(entry, match, tokens[i]!, times[i]!);
      position.set(doc.id, i);
      known.set(doc.id, local.put(doc, entry, placement.indexed ? bands : null, key));
      writes.push({ item: p, doc, scheme: entry.scheme, placement });
    }
    let written: boolean[];
    try {
      written = await batch.commit(writes);
    } catch (error) {
      // The writes may have landed with the reply lost: re-adding these ids will recognise them.
      for (const w of writes) host.pending.set(w.doc.id, w.doc.token);
      throw error;
    }
    const again = new Set<number>();
    writes.forEach((w, j) => {
      const i = todo[w.item]!;
      if (!written[j]) return void again.add(i);
      host.pending.delete(w.doc.id);
      host.scheme ??= w.scheme;
      host.added++;
    });
    todo = todo.filter((i) => again.has(i));
  }
  if (last > 0) await host.store.evict(horizon);
  if (duplicate) throw duplicate;
  return answers;
}

/**
 * The earlier documents of a batch, as the later ones see them before anything is written: by
 * band key (the most recent PER_BAND a bucket, as a store answers) and by content key.
 */
class Overlay {
  /** By band and key: band × 2³² + key (a number key: a Map on strings would build one a band and document). */
  private readonly byBand = new Map<number, Candidate[]>();
  private readonly byKey = new Map<number, Candidate>();
  private readonly all: Candidate[] = [];

  put(doc: NewDoc, sketch: Sketch, bands: Uint32Array | null, key: number | null): Candidate {
    const candidate: Candidate = { ...sketch, id: doc.id, canonical: doc.canonical, time: doc.time } as Candidate;
    this.all.push(candidate);
    if (key !== null) this.byKey.set(key, candidate);
    if (bands) {
      for (let b = 0; b < bands.length; b++) {
        const bucket = this.byBand.get(b * 0x100000000 + bands[b]!);
        if (bucket) bucket.push(candidate);
        else this.byBand.set(b * 0x100000000 + bands[b]!, [candidate]);
      }
    }
    return candidate;
  }

  /** The latest document of the batch with this content key. */
  exact(key: number): Candidate | undefined {
    return this.byKey.get(key);
  }

  members(bands: Uint32Array | null, live: (c: Candidate) => boolean): Candidate[] {
    if (!bands || this.all.length === 0) return [];
    const out = new Set<Candidate>();
    for (let b = 0; b < bands.length; b++) {
      const bucket = this.byBand.get(b * 0x100000000 + bands[b]!);
      if (!bucket) continue;
      let taken = 0;
      for (let j = bucket.length - 1; j >= 0 && taken < PER_BAND; j--) {
        if (!live(bucket[j]!)) continue;
        out.add(bucket[j]!);
        taken++;
      }
    }
    return [...out];
  }
}
