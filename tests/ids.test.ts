import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createIndex, DedupeError, loadIndex } from "../src/index.js";
import { eachId, hashBytes, idBytes, idsJson, idString, IdTable, sameBytes } from "../src/store/ids.js";

// Any UTF-16 string, lone surrogates included: ids are JavaScript strings, not all well-formed.
const anyString = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const awkward = ["plain-id", 'a "quoted" id', "back\\slash", "tab\there", "\u0001control", "lone \ud800 high", "lone \udc00 low", "emoji 😀", "Київ", "東京", "\u2028line"];

describe("ids as bytes", () => {
  it("gives every string back, lone surrogates included (property)", () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(idString(idBytes(s).slice())).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  it("writes a well-formed string as its UTF-8 (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (s) => {
        expect([...idBytes(s)]).toEqual([...new TextEncoder().encode(s)]);
      }),
      { numRuns: 1000 },
    );
  });

  it("writes an ids section that JSON reads, and reads it back (property)", () => {
    fc.assert(
      fc.property(fc.array(anyString, { maxLength: 20 }), (ids) => {
        const all = [...ids, ...awkward];
        const json = idsJson((visit) => all.forEach((id) => visit(idBytes(id).slice())));
        expect(JSON.parse(new TextDecoder().decode(json))).toEqual(all);
        const back: string[] = [];
        eachId(json, all.length, (bytes) => back.push(idString(bytes)));
        expect(back).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["not an array", '{"a":1}', 1],
    ["fewer ids than the header says", '["a","b"]', 3],
    ["more ids than the header says", '["a","b","c"]', 2],
    ["a number among the ids", '["a",7]', 2],
    ["an unterminated string", '["a","b', 2],
  ])("refuses an ids section with %s", (_, text, n) => {
    const run = () => eachId(new TextEncoder().encode(text), n, () => undefined);
    expect(run).toThrow(DedupeError);
    expect(run).toThrow(/index file is corrupt/);
  });
});

describe("the id table", () => {
  it("finds, adds and removes as a Map does (property)", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("add" as const), id: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ kind: fc.constant("remove" as const), id: fc.integer({ min: 0, max: 300 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 150, maxLength: 400 }), (ops) => {
        const table = new IdTable();
        const ref = new Map<string, number>();
        const bytesOf: Uint8Array[] = [];
        // A narrow hash (7 bits, one shard) makes many ids share one, as distinct ids may, and long probe runs.
        const hashOf = (b: Uint8Array) => hashBytes(b) & 0x0000007f;
        const find = (id: string) => {
          const b = idBytes(id).slice();
          return table.find(hashOf(b), (d) => sameBytes(bytesOf[d]!, b));
        };
        for (const { kind, id } of ops) {
          const key = `doc-${id}`;
          if (kind === "add" && !ref.has(key)) {
            const n = bytesOf.length;
            bytesOf.push(idBytes(key).slice());
            table.add(hashOf(bytesOf[n]!), n);
            ref.set(key, n);
          } else if (kind === "remove" && ref.has(key)) {
            table.remove(hashOf(bytesOf[ref.get(key)!]!), ref.get(key)!);
            ref.delete(key);
          }
        }
        for (let id = 0; id <= 300; id++) expect(find(`doc-${id}`)).toBe(ref.get(`doc-${id}`) ?? -1);
      }),
      { numRuns: 200 },
    );
  });
});

describe("an index with awkward ids", () => {
  it("holds, saves and loads ids with quotes, controls, lone surrogates and any script", () => {
    const index = createIndex({ numHashes: 32 });
    const story = "The port of Odesa reopened on Tuesday after drones struck grain silos overnight, officials said.";
    awkward.forEach((id, i) => index.add({ id, text: i === 0 ? story : `${story} Update ${i}: more ${"detail ".repeat(i)}` }));
    const loaded = loadIndex(index.save());
    for (const id of awkward) {
      expect(loaded.has(id)).toBe(true);
      expect(loaded.canonicalOf(id)).toBe(index.canonicalOf(id));
    }
    expect(loaded.has("lone \ufffd high")).toBe(false);
    expect(loaded.query(story)?.canonical).toBe(index.query(story)?.canonical);
  });
});
