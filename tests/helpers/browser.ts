// Headless Chromium for the report tests, the screenshots and the bench: Debian's `chromium`
// package driven by puppeteer-core (which downloads no browser). `.ci/run` installs it.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser } from "puppeteer-core";

/** Where Chromium is: $NEWS_DEDUPE_CHROMIUM when set (and only there), else Debian's and Ubuntu's paths; null when absent. */
export function findChromium(): string | null {
  const given = process.env.NEWS_DEDUPE_CHROMIUM;
  const candidates = given ? [given] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * Launch headless Chromium with a fresh profile. The flags keep it off the network: without the
 * background-networking ones it keeps trying to reach Google's services, which on a closed
 * network floods the log with refused connections.
 */
export async function launchChromium(executablePath: string): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "nd-chromium-"));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
