#!/usr/bin/env node
// The news-dedupe command: runs the built CLI in dist/, which `npm install` builds (prepare).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/process.js", import.meta.url);
if (existsSync(main)) {
  await (await import(main.href)).cli();
} else {
  process.stderr.write("news-dedupe: not built yet (dist/cli/process.js is missing): run `npm install` or `npm run build`\n");
  process.exitCode = 2;
}
