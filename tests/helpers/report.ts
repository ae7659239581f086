// The data an HTML report embeds (report-html.ts): its <script type="application/json"> blocks, joined and parsed.
export function reportData<T = unknown>(html: string): T {
  const blocks = [...html.matchAll(/<script type="application\/json" class="report-data">([^]*?)<\/script>/g)];
  if (blocks.length === 0) throw new Error("no data block in the page");
  return JSON.parse(blocks.map((m) => m[1]).join("")) as T;
}
