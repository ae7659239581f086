// Side-by-side: the public index API on N generated signature documents (same script on both trees).
const root = process.argv[2]!;
const n = Number(process.argv[3] ?? 200000);
const { createIndex, loadIndex } = await import(`${root}/src/index.ts`);
let x = 12345;
const next = () => (x = (Math.imul(x ^ (x >>> 15), 2246822507) + 0x9e3779b9) >>> 0);
const index = createIndex();
const lat: number[] = [];
const r0 = process.memoryUsage().rss;
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  const hashvalues = Array.from({ length: 128 }, next);
  const a = performance.now();
  index.add({ id: `doc-${i}`, hashvalues, size: 400 });
  lat.push(performance.now() - a);
}
const addS = (performance.now() - t0) / 1000;
const rss = process.memoryUsage().rss - r0;
const t1 = performance.now();
const bytes = index.save();
const saveS = (performance.now() - t1) / 1000;
const t2 = performance.now();
const again = loadIndex(bytes);
const loadS = (performance.now() - t2) / 1000;
// The first adds after a load: where the old index doubled every array at once.
const after: number[] = [];
for (let i = 0; i < 200; i++) {
  const hashvalues = Array.from({ length: 128 }, next);
  const a = performance.now();
  again.add({ id: `more-${i}`, hashvalues, size: 400 });
  after.push(performance.now() - a);
}
lat.sort((a, b) => a - b);
const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
console.log(JSON.stringify({ tree: root, n, addsPerSec: Math.round(n / addS), p50ms: +q(0.5).toFixed(3), p99ms: +q(0.99).toFixed(3), maxMs: +lat[lat.length - 1]!.toFixed(1), firstAfterLoadMaxMs: +Math.max(...after).toFixed(1), rssPerDoc: Math.round(rss / n), fileBytesPerDoc: Math.round(bytes.length / n), saveS: +saveS.toFixed(2), loadS: +loadS.toFixed(2) }));
