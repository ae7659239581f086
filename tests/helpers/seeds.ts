import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const SEED_DIR = join(import.meta.dirname, "../../test-data/seeds");

/** The five seed articles as { id, text }, id being the short name ("002"). */
export function seeds(): Array<{ id: string; text: string }> {
  return readdirSync(SEED_DIR)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((f) => ({ id: f.slice(0, 3), text: readFileSync(join(SEED_DIR, f), "utf8") }));
}

export function seed(short: string): string {
  const found = seeds().find((s) => s.id === short);
  if (!found) throw new Error(`no seed ${short}`);
  return found.text;
}
