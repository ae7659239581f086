import { seeds } from "./seeds.js";

/** Deterministic PRNG (mulberry32), so every run builds the same stories. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHROME = {
  head: ["Markets: DAX +0.4% | FTSE -0.2% | Brent $81.20", "Photo: AFP / Getty Images", "Listen to this article"],
  tail: ["Related Links", "Subscribe to our daily newsletter", "Share this article: Facebook Twitter Email", "More from Europe"],
};

export interface Story {
  story: number;
  copies: Array<{ id: string; text: string }>;
}

/**
 * `count` distinct news stories written with the seeds' words, each republished 2–6 times the way
 * sites do: with a ticker or photo credit above, related links below, cut short, or a word edited.
 */
export function syndicatedStories(count: number, seed = 7): Story[] {
  const words = [...new Set(seeds().flatMap((s) => s.text.toLowerCase().match(/\p{L}+/gu) ?? []))];
  const rnd = random(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const paragraph = () => {
    const n = 25 + Math.floor(rnd() * 20);
    const w = Array.from({ length: n }, () => pick(words));
    w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
    return w.join(" ") + ".";
  };
  return Array.from({ length: count }, (_, story) => {
    const paras = Array.from({ length: 6 + Math.floor(rnd() * 4) }, paragraph);
    const copies = 2 + Math.floor(rnd() * 5);
    return {
      story,
      copies: Array.from({ length: copies }, (_, c) => {
        let body = [...paras];
        const variant = c === 0 ? 0 : 1 + Math.floor(rnd() * 4);
        if (variant === 1) body = [pick(CHROME.head), ...body];
        if (variant === 2) body = [...body, pick(CHROME.tail), pick(CHROME.tail)];
        if (variant === 3) body = [pick(CHROME.head), ...body.slice(0, Math.ceil(body.length * 0.8))];
        if (variant === 4) body[1] = body[1]!.replace(/\b\p{L}+\b/u, pick(words));
        return { id: `s${story}-c${c}`, text: body.join("\n\n") };
      }),
    };
  });
}
