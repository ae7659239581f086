// Job: the command's work on a worker thread (see process.ts): argv → main() → an exit code posted
// back. Its stderr is a stream of messages to the process, which owns the terminal.
import { Writable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import { main } from "./main.js";
import { watchPartialFiles } from "./write.js";
import type { JobData, JobMessage } from "./process.js";

const port = parentPort!;
const data = workerData as JobData;
const post = (message: JobMessage) => port.postMessage(message);

// The process removes the corpus writer's temporary files if it is interrupted or runs out of memory.
watchPartialFiles((event, path) => post({ kind: "partial", event, path }));

/** Writes go to the process's stderr; it says it is a terminal when the process's stderr is one, for the progress bar. */
const stderr = Object.assign(
  new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      post({ kind: "stderr", text: chunk.toString() });
      done();
    },
  }),
  { isTTY: data.isTTY, columns: data.columns },
);

const code = await main(data.argv, { stdin: process.stdin, stdout: process.stdout, stderr });
// stdout is piped to the process: end it so the process knows every byte has arrived.
await new Promise<void>((resolve) => process.stdout.end(resolve));
post({ kind: "exit", code });
