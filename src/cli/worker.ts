// Worker: one thread of the pool in workers.ts. Batches of texts → fingerprints, packed in one buffer and transferred back.
import { parentPort, workerData } from "node:worker_threads";
import { fingerprint } from "../fingerprint.js";
import { packBatch, type Job, type WorkerSetup } from "./workers.js";

const setup = workerData as WorkerSetup;
const options = setup.options;
const boilerplate = setup.boilerplate ? new Set(setup.boilerplate) : undefined;

parentPort!.on("message", (job: Job) => {
  const batch = packBatch(
    job.id,
    job.texts.map((text) => fingerprint(text, options, boilerplate)),
  );
  // Transferred, not copied: one buffer holds the whole batch's sets and signatures.
  parentPort!.postMessage(batch, [batch.data.buffer as ArrayBuffer]);
});
