import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortUint32 } from "../src/shingle.js";

// The shingle stage sorts with a radix sort instead of TypedArray#sort (bench/ measures why);
// it must give exactly the same order, on short arrays (native path) and long ones (radix path).
describe("sortUint32", () => {
  it("orders 32-bit values exactly as TypedArray#sort does", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 600 }), fc.boolean(), (values, narrow) => {
        // Narrow values repeat often, so equal keys are exercised too.
        const a = Uint32Array.from(values, (v) => (narrow ? v % 97 : v));
        const expected = a.slice().sort();
        sortUint32(a);
        expect(a).toEqual(expected);
      }),
    );
  });

  it("sorts an article-sized array spanning every byte of the key", () => {
    const a = Uint32Array.from({ length: 5000 }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);
    const expected = a.slice().sort();
    sortUint32(a);
    expect(a).toEqual(expected);
  });
});
