// The real-pages gate: ../shared/realdev (labelled excerpts of real news pages, kept outside the
// project and never copied into it) scored as its score.py scores a clustering. Skipped where the
// folder is absent; where it is present, a drop below F1 0.95 or any false merge fails the run.
import { describe, expect, it } from "vitest";
import { loadRealSet, realdevRuns, scoreClusters } from "../bench/realdev.js";

const set = loadRealSet();

describe.skipIf(set === null)("realdev (../shared/realdev)", () => {
  const runs = realdevRuns(set!);

  it.each(["batch", "index"] as const)("%s: F1 at least 0.95 and no false merge", (kind) => {
    const s = scoreClusters(runs[kind], set!.labels);
    expect(s.fp, "false merges").toEqual([]);
    expect(s.f1).toBeGreaterThanOrEqual(0.95);
  });
});
