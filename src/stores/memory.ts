// Memory store: the in-process index behind the asynchronous interface of shared stores.
import { fail } from "../errors.js";
import { createIndex, type AsyncDedupeIndex, type IndexStore } from "../incremental.js";

/**
 * The in-memory index as an IndexStore, for code written against `createIndex({ store })` that
 * runs on one process today and on redisStore() tomorrow. Every call is the in-memory index's.
 */
export function memoryStore(): IndexStore {
  return {
    async open(options) {
      const index = createIndex(options);
      let closed = false;
      const live = <T>(f: () => T): Promise<T> => {
        if (closed) return Promise.reject(fail("INDEX_STORE", undefined, "the index was closed"));
        try {
          return Promise.resolve(f());
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const shared: AsyncDedupeIndex = {
        options: index.options,
        add: (doc) => live(() => index.add(doc)),
        query: (doc) => live(() => index.query(doc)),
        has: (id) => live(() => index.has(id)),
        canonicalOf: (id) => live(() => index.canonicalOf(id)),
        size: () => live(() => index.size),
        close: async () => {
          closed = true;
        },
      };
      return shared;
    },
  };
}
