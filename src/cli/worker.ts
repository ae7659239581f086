// Worker: one thread of the pool in workers.ts. Batches of texts → prepared documents, packed in few buffers and transferred back.
import { parentPort, workerData } from "node:worker_threads";
import { prepare, type FingerprintSetup } from "../dedupe.js";
import { jobTexts, packBatch, type Job } from "./workers.js";

const setup = workerData as FingerprintSetup;
const skip = setup.skip ? new Set(setup.skip) : undefined;

parentPort!.on("message", (job: Job) => {
  const batch = packBatch(
    job.id,
    jobTexts(job).map((text) => prepare(text, setup, skip)),
    setup.keepUnits,
  );
  // Transferred, not copied: one buffer holds the whole batch's sets and signatures.
  const transfer = [batch.data.buffer as ArrayBuffer];
  if (batch.units) transfer.push(batch.units.counts.buffer as ArrayBuffer, batch.units.spans.buffer as ArrayBuffer);
  parentPort!.postMessage(batch, transfer);
});
