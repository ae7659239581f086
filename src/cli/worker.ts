// Worker: one thread of the pool in workers.ts. Batches of texts → fingerprints, buffers transferred back.
import { parentPort, workerData } from "node:worker_threads";
import { fingerprint } from "../fingerprint.js";
import type { Job, Print, WorkerSetup } from "./workers.js";

const setup = workerData as WorkerSetup;
const options = setup.options;
const boilerplate = setup.boilerplate ? new Set(setup.boilerplate) : undefined;

parentPort!.on("message", (job: Job) => {
  const prints: Print[] = job.texts.map((text) => {
    const { repeats, shingles, signature } = fingerprint(text, options, boilerplate);
    return { repeats, shingles, signature };
  });
  // Transferred, not copied: the arrays are the bulk of the reply.
  const buffers = new Set<ArrayBuffer>();
  for (const p of prints) {
    buffers.add(p.shingles.buffer as ArrayBuffer);
    if (p.signature) buffers.add(p.signature.buffer as ArrayBuffer);
  }
  parentPort!.postMessage({ id: job.id, prints }, [...buffers]);
});
