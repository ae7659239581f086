// Input: whatever the caller passed → checked Doc[], or a DedupeError naming the document.
import { describe, fail } from "./errors.js";
import type { Doc, DocInput } from "./types.js";

/** Check one document; `position` names it in errors when its id is unusable. */
export function toDoc(input: DocInput, position: number): Doc {
  if (typeof input === "string") return { id: String(position), text: input };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw fail("INVALID_DOC", position, describe(input));
  }
  const id = checkId(input.id, position);
  if (typeof input.text !== "string") throw fail("INVALID_TEXT", id, describe(input.text));
  return { id, text: input.text };
}

function checkId(id: unknown, position: number): string {
  if (id === undefined) throw fail("MISSING_ID", position);
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  if (typeof id === "string" && id.length > 0) return id;
  throw fail("INVALID_ID", position, describe(id));
}

/** Check a whole batch: every document valid and every id unique. */
export function toDocs(inputs: readonly DocInput[]): Doc[] {
  if (!Array.isArray(inputs)) throw fail("INVALID_DOCS", undefined);
  const seen = new Map<string, number>();
  return inputs.map((input, position) => {
    const doc = toDoc(input, position);
    const first = seen.get(doc.id);
    if (first !== undefined) throw fail("DUPLICATE_ID", doc.id, String(first));
    seen.set(doc.id, position);
    return doc;
  });
}

/**
 * The UTF-8 size of a text over `limit` bytes, or undefined when it fits. A UTF-16 unit is at
 * most 3 bytes, so a text of up to limit/3 units fits without a scan.
 */
export function bytesOver(text: string, limit: number): number | undefined {
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > limit ? bytes : undefined;
}
