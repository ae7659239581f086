// Memory store, asynchronous: the in-memory index (memory.ts) behind the Store interface that
// openIndex() uses, as redisStore() does.
import { fail } from "../errors.js";
import { MemoryStore } from "./memory.js";
import type { PendingAdd, Store, StoreMeta } from "./store.js";

/**
 * The in-memory index behind the asynchronous Store interface, for code written against
 * `openIndex(store)` that runs in one process today and on redisStore() tomorrow. Opening the
 * same memoryStore() twice opens one index, as two processes opening one Redis prefix do.
 */
export function memoryStore(): Store {
  let held: MemoryStore | null = null;
  let closed = false;
  const live = (): MemoryStore => {
    if (closed) fail("INDEX_STORE", undefined, "the index was closed");
    if (!held) fail("INDEX_STORE", undefined, "the index is not open");
    return held;
  };
  return {
    where: "in memory",
    async open(initial: StoreMeta) {
      closed = false;
      held ??= new MemoryStore(initial.options);
      return { options: held.options, scheme: held.scheme };
    },
    async begin(id, bands, key) {
      const store = live();
      const exact = (key === null ? undefined : store.exact(key)) ?? null;
      const pending: PendingAdd = {
        existing: store.get(id) ?? null,
        exact,
        members: bands && !exact ? store.members(bands).filter((d) => d.id !== id) : [],
        scheme: store.scheme,
        // One thread: nothing can change between begin and commit.
        commit: async (doc, scheme, placement) => {
          live().put(doc, scheme, placement.indexed ? bands : null, placement.key);
          return true;
        },
        abort: async () => undefined,
      };
      return pending;
    },
    async members(bands) {
      return live().members(bands);
    },
    async exact(key) {
      return live().exact(key) ?? null;
    },
    async get(ids) {
      const store = live();
      return ids.map((id) => store.get(id) ?? null);
    },
    async reserve() {
      return live().numbered;
    },
    async count() {
      return live().size;
    },
    async evict(before) {
      return live().evict(before);
    },
    async close() {
      closed = true;
    },
  };
}
