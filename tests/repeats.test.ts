import { describe, expect, it } from "vitest";
import { units } from "../src/normalize.js";
import { findRepeats } from "../src/repeats.js";
import { seed } from "./helpers/seeds.js";

describe("repeats inside one document", () => {
  it("counts the NATO TV transcript in seed 004 three times, the copy without its credit line included", () => {
    const paras = units(seed("004"));
    const { count, unique } = findRepeats(paras);
    expect(count).toBe(3);
    expect(unique.length).toBe(8);
    expect(unique[0]!.text).toBe("mandatory credit: nato tv");
  });

  it("does not count a pull-quote repeated once (seed 003) as a repeat of the document", () => {
    const paras = units(seed("003"));
    const { count, unique } = findRepeats(paras);
    expect(count).toBe(1);
    // only the doubled newsletter line is an exact repeat; the opening quote returns with another attribution
    expect(paras.length - unique.length).toBe(1);
  });

  it("counts a one-paragraph text pasted twice", () => {
    expect(findRepeats(units("Same words here.\nSame words here.")).count).toBe(2);
  });
});
