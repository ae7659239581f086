import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentItem, decodeRecord, encodeRecord, shardItems } from "../src/store/redis-codec.js";
import { signature } from "../src/signature.js";
import type { NewDoc } from "../src/store/store.js";

/** The record as the commit script stores it: the document's number first. */
const stored = (doc: NewDoc, n = 7) => Buffer.concat([Buffer.from([0, 0, 0, n]), encodeRecord(doc, true)]);

const doc = (over: Partial<NewDoc>): NewDoc => ({
  id: "afp-1",
  canonical: "afp-1",
  size: 300,
  signature: null,
  lead: new Uint32Array([3, 9, 4_000_000_000]),
  numbers: new Uint32Array([5, 6]),
  match: null,
  token: "",
  time: null,
  ...over,
});

describe("Redis records", () => {
  it("give back every field of the document they were written from (property)", () => {
    const shingles = fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { minLength: 1, maxLength: 3000 });
    fc.assert(
      fc.property(shingles, fc.constantFrom(32, 64, 128, 256), fc.boolean(), fc.option(fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }), { nil: null }), (list, k, copy, time) => {
        const sig = signature(new Uint32Array(list).sort(), k, 1);
        const written = doc({
          signature: sig,
          size: list.length,
          canonical: copy ? "afp-0" : "afp-1",
          match: copy ? { canonical: "afp-0", jaccard: 0.5772, containment: 1 } : null,
          token: copy ? "9b2b0e0c-3f57-4a8e-9a57-0d7c3c7b1e11" : "",
          time,
        });
        const read = decodeRecord("afp-1", stored(written));
        expect({ ...read, signature: [...read.signature!], lead: [...read.lead], numbers: [...read.numbers] }).toEqual({
          ...written,
          n: 7,
          indexed: true,
          signature: [...sig],
          lead: [...written.lead],
          numbers: [...written.numbers],
        });
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ["a long text's signature, packed", 5000, false, 401],
    ["a short text's, whose empty bins borrow values, packed smaller", 150, false, 400],
    ["an imported (unbinned) signature, raw", 5000, true, 512],
  ])("stores %s", (_what, n, imported, most) => {
    const sig = imported
      ? new Uint32Array(128).map((_, i) => (Math.imul(i + 1, 2654435761) ^ 0x5bd1e995) >>> 0)
      : signature(new Uint32Array(n).map((_, i) => Math.imul(i + 7, 2246822519) >>> 0).sort(), 128, 1);
    const bytes = encodeRecord(doc({ signature: sig, lead: new Uint32Array(0), numbers: new Uint32Array(0) }), true).length;
    const header = encodeRecord(doc({ lead: new Uint32Array(0), numbers: new Uint32Array(0) }), true).length;
    expect(bytes - header).toBeLessThanOrEqual(most);
    if (imported) expect(bytes - header).toBe(512);
    expect([...decodeRecord("x", Buffer.concat([Buffer.alloc(4), encodeRecord(doc({ signature: sig }), false)])).signature!]).toEqual([...sig]);
  });

  it("lay band keys out as [band][shard][rest of the key] items", () => {
    const items = shardItems(new Uint32Array([0xabcdef12, 7]), 10);
    expect([...items]).toEqual([0, 0, 0x03, 0x12, 0x2a, 0xf3, 0x7b, 0, 1, 0, 7, 0, 0, 0]);
    expect(contentItem(null, 10).length).toBe(0);
    expect(contentItem(2 ** 53 - 1, 10).readUInt16BE(0)).toBe(0xffff);
  });
});

describe("Redis records of 16-bit signatures", () => {
  it("keep them in 2 bytes a value", () => {
    const sig = new Uint32Array(128).map((_, i) => (i * 7919) & 0xffff);
    const header = encodeRecord(doc({}), true).length;
    const written = encodeRecord(doc({ signature: sig }), true);
    expect(written.length - header).toBe(256);
    expect([...decodeRecord("afp-1", Buffer.concat([Buffer.alloc(4), written])).signature!]).toEqual([...sig]);
  });
});
