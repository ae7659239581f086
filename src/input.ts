// Input: whatever the caller passed → checked Doc, or a DedupeError naming the document.
// The id rule, the size limit and the duplicate-id check live here, for the batch, the index and the CLI.
import { describe, dedupeError, fail } from "./errors.js";
import type { Doc, DocInput } from "./types.js";

/** Check one document; `position` names it in errors when its id is unusable. */
export function toDoc(input: DocInput, position: number): Doc {
  if (typeof input === "string") return { id: String(position), text: input };
  if (typeof input !== "object" || input === null || Array.isArray(input)) fail("INVALID_DOC", position, describe(input));
  const id = checkId(input.id, position);
  if (typeof input.text !== "string") fail("INVALID_TEXT", id, describe(input.text));
  return { id, text: input.text };
}

/** The id rule: a non-empty string, or a finite number (turned into a string); undefined otherwise. */
export function idOf(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.length > 0) return value;
  return undefined;
}

function checkId(id: unknown, position: number): string {
  if (id === undefined) fail("MISSING_ID", position);
  return idOf(id) ?? fail("INVALID_ID", position, describe(id));
}

/**
 * Ids seen so far, each with its position among the inputs: the duplicate-id rule of a batch
 * (the index keeps its own ids, in its store).
 */
export class IdSet {
  private readonly positions = new Map<string, number>();

  /** The position of the first document with this id, or undefined. */
  positionOf(id: string): number | undefined {
    return this.positions.get(id);
  }

  /** Record `id` at `position`; throws DUPLICATE_ID when it was seen before. */
  claim(id: string, position: number): void {
    const first = this.positions.get(id);
    if (first !== undefined) fail("DUPLICATE_ID", id, String(first));
    this.positions.set(id, position);
  }
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

/** The DOC_TOO_LARGE error of a document over the size limit. */
export function tooLarge(id: string, bytes: number, limit: number) {
  return dedupeError("DOC_TOO_LARGE", id, String(bytes), String(limit));
}

/** Check a whole array of documents: every document valid and every id unique. */
export function toDocs(inputs: readonly DocInput[]): Doc[] {
  if (!Array.isArray(inputs)) fail("INVALID_DOCS", undefined);
  const ids = new IdSet();
  return inputs.map((input, position) => {
    const doc = toDoc(input, position);
    ids.claim(doc.id, position);
    return doc;
  });
}

/** Code-unit order of ids: the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
