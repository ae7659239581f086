// Extract worker: one thread of the pool in extract.ts. A page's HTML → its article (fromHtml()).
import { parentPort } from "node:worker_threads";
import { fromHtml } from "../html.js";
import type { ExtractJob, ExtractReply } from "./extract.js";

parentPort!.on("message", (job: ExtractJob) => {
  let reply: ExtractReply;
  try {
    reply = { id: job.id, article: fromHtml(job.html, job.url === undefined ? {} : { url: job.url }) };
  } catch (e) {
    reply = { id: job.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
