// Process: the entry point of bin/news-dedupe.js and the only place that exits the process. The
// job runs on a worker thread, so this thread is always free to answer a signal at once (even in
// the middle of a long clustering step), to report running out of memory in one line, and to
// survive a closed stderr.
import { Worker } from "node:worker_threads";

/** What the job is started with. */
export interface JobData {
  readonly argv: readonly string[];
  readonly isTTY: boolean;
  readonly columns: number | undefined;
}

/** What the job tells the process. */
export type JobMessage =
  | { kind: "stderr"; text: string }
  | { kind: "partial"; event: "made" | "gone"; path: string }
  | { kind: "exit"; code: number };

/** Exit status for a run that could not finish: an internal error, or out of memory. */
const FAILED = 3;

export async function cli(): Promise<void> {
  const argv = process.argv.slice(2);
  const partial = new Set<string>();
  let interrupted = false;
  // Nobody reads stderr any more: warnings are lost, the run and its exit status are not.
  let stderrOpen = true;
  process.stderr.on("error", () => (stderrOpen = false));
  const say = (text: string) => {
    if (stderrOpen) process.stderr.write(text);
  };
  const stop = async (code: number) => {
    const { rmSync } = await import("node:fs");
    for (const temp of partial) rmSync(temp, { force: true });
    process.exit(code);
  };
  // A reader that stops early (news-dedupe … | head) is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 2));

  const data: JobData = { argv, isTTY: process.stderr.isTTY === true, columns: process.stderr.columns };
  const job = new Worker(new URL("./job.js", import.meta.url), { workerData: data, stdin: argv.includes("-"), stdout: true });
  if (job.stdin) process.stdin.pipe(job.stdin);
  // The report: every byte the job writes, in order, before the process exits.
  const reported = new Promise<void>((resolve) => {
    job.stdout.pipe(process.stdout, { end: false });
    job.stdout.on("end", resolve);
  });

  // Interrupted: no half-written file may stay behind (files reach their real names only once all
  // are written, see writeCorpus). Exit as a shell expects of a signalled program, 128 + n.
  for (const [signal, n] of [["SIGINT", 2], ["SIGTERM", 15]] as const) {
    process.once(signal, () => {
      // Stop the job first: the messages naming the files it made arrive before its exit event.
      job.once("exit", () => {
        const removed = partial.size;
        say(`${process.stderr.isTTY ? "\n" : ""}news-dedupe: interrupted${removed > 0 ? `; removed ${removed} unfinished output file(s)` : ""}\n`);
        void stop(128 + n);
      });
      interrupted = true;
      void job.terminate();
    });
  }

  job.on("message", (m: JobMessage) => {
    if (m.kind === "stderr") say(m.text);
    else if (m.kind === "partial") {
      if (m.event === "made") partial.add(m.path);
      else partial.delete(m.path);
    } else {
      void reported.then(() => {
        // Let stdout drain before exiting: process.exit does not wait for a pipe.
        if (process.stdout.writableLength === 0) process.exit(m.code);
        else process.stdout.once("drain", () => process.exit(m.code));
      });
    }
  });
  job.on("error", (e: Error & { code?: string }) => {
    if (e.code === "ERR_WORKER_OUT_OF_MEMORY") {
      say(`news-dedupe: out of memory; give Node more (NODE_OPTIONS=--max-old-space-size=<MiB>) or split the input\n`);
    } else {
      say(`news-dedupe: internal error (please report it): ${e.stack ?? String(e)}\n`);
    }
    void stop(FAILED);
  });
  job.on("exit", (code) => {
    // The job posts its exit code before it ends; ending without one is a failure reported above.
    if (code !== 0 && !interrupted) void stop(FAILED);
  });
}
