// Types for the npm `minhash` package (it ships none), as far as the bench uses it.
declare module "minhash" {
  class Minhash {
    constructor(config?: { numPerm?: number; seed?: number });
    hashvalues: number[];
    update(str: string): void;
    jaccard(other: Minhash): number;
  }
  class LshIndex {
    constructor(args?: { bandSize?: number });
    index: Record<string, Array<string | number>>;
    insert(key: string | number, minhash: Minhash): void;
    query(minhash: Minhash): string[];
    getHashbands(minhash: Minhash): string[];
  }
  const _default: { Minhash: typeof Minhash; LshIndex: typeof LshIndex };
  export default _default;
}
