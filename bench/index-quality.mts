// The index on the synthetic corpus: each document added in corpus order, its cluster its canonical;
// pairwise P/R/F1 against the stories (bench/quality.ts score). Same script on two trees, side by side:
//   node --import tsx bench/index-quality.mts <tree> [size]
const root = process.argv[2]!;
const size = Number(process.argv[3] ?? 10000);
const { createIndex } = await import(`${root}/src/index.ts`);
const { corpus } = await import(`${root}/bench/corpus.ts`);
const { score } = await import(`${root}/bench/quality.ts`);
const { docs, info } = corpus({ size, seed: 1 });
const labels = docs.map((d: { story: number; ops: number }) => ({ story: d.story, ops: d.ops }));
const index = createIndex();
const t0 = performance.now();
const cluster = new Map<string, number>();
const pred = new Int32Array(docs.length);
docs.forEach((d: { id: string; text: string }, i: number) => {
  const m = index.add({ id: d.id, text: d.text });
  const c = m ? cluster.get(m.canonical)! : i;
  cluster.set(d.id, c);
  pred[i] = c;
});
const r = score("index", (performance.now() - t0) / 1000, labels, info, pred);
console.log(JSON.stringify({ tree: root, size, P: r.overall.precision.toFixed(4), R: r.overall.recall.toFixed(4), F1: r.overall.f1.toFixed(4), seconds: r.seconds.toFixed(1) }));
