// Progress: counts of documents read and fingerprinted (and of a WARC's records and bytes) → a bar
// on stderr, for long runs on a terminal only.
import cliProgress from "cli-progress";

export interface Progress {
  /** Documents read so far and documents fingerprinted so far. */
  update(read: number, done: number): void;
  /** WARC records read so far, and the bytes of the archive being read out of its size. */
  bytes(records: number, read: number, total: number): void;
  /** Name the current phase ("reading", "clustering", "writing"). */
  phase(name: string): void;
  /** One warning line; printed above the bar when the bar is showing. */
  log(line: string): void;
  /** Remove the bar (it leaves nothing behind on the terminal). */
  stop(): void;
}

export interface ProgressOptions {
  /** False with --no-progress, or when stderr is not a terminal. */
  readonly enabled: boolean;
  /** The bar appears only once a run has lasted this long: short runs print nothing. */
  readonly delayMs: number;
  readonly now?: () => number;
}

/** The delay before a bar appears: a couple of seconds, so quick runs stay silent. */
export const PROGRESS_DELAY_MS = 2000;

export function createProgress(stream: NodeJS.WritableStream, options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const started = now();
  let bar: { multi: cliProgress.MultiBar; single: cliProgress.SingleBar } | null = null;
  let state = { read: 0, done: 0, phase: "reading", archive: "" };
  let stopped = false;

  const show = () => {
    if (!options.enabled || stopped) return;
    if (bar === null) {
      if (now() - started < options.delayMs) return;
      const multi = new cliProgress.MultiBar({
        stream,
        format: "news-dedupe {phase} [{bar}] {value}/{total} documents{archive}",
        barsize: 30,
        clearOnComplete: true,
        hideCursor: false,
        // Only draw on a terminal: a piped stderr gets the warnings and nothing else.
        noTTYOutput: false,
      });
      bar = { multi, single: multi.create(state.read, state.done, { phase: state.phase, archive: state.archive }) };
      return;
    }
    bar.single.setTotal(state.read);
    bar.single.update(state.done, { phase: state.phase, archive: state.archive });
  };

  return {
    update(read, done) {
      state = { ...state, read, done };
      show();
    },
    bytes(records, read, total) {
      const mib = (n: number) => (n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0);
      state = { ...state, archive: ` · ${records} WARC records, ${mib(read)}/${mib(total)} MiB` };
      show();
    },
    phase(name) {
      state = { ...state, phase: name };
      show();
    },
    log(line) {
      if (bar === null) stream.write(line + "\n");
      else bar.multi.log(line + "\n");
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (bar === null) return;
      // update() flushes lines logged since the last redraw before the bar is cleared.
      bar.multi.update();
      bar.multi.stop();
    },
  };
}
