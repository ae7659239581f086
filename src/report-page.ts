// Report page: the style sheet and the script of the HTML report (report-html.ts embeds both).
// The script draws the cluster table and each cluster's view from the JSON embedded in the page,
// only when asked: 10,000 clusters are one JSON.parse and a page of rows, not 10,000 DOM sections.
// It writes document text only through textContent and text nodes, never as markup.
//
// Both are plain strings (String.raw: the script holds regular expressions): the page must work
// opened from disk or from a mail attachment, so nothing is loaded. The script is written for any
// browser of the last years (no modules, no build step) and is checked in headless Chromium by
// tests/report-browser.test.ts. It must never hold a backtick, "${" or "</": see report-html.test.ts.
//
// The text lives in report-assets/: the style sheet, and the script in three parts that join into
// one function (the data and the table, a cluster's view, routing and keys).
import { SCRIPT_CLUSTER } from "./report-assets/script-cluster.js";
import { SCRIPT_ROUTE } from "./report-assets/script-route.js";
import { SCRIPT_TABLE } from "./report-assets/script-table.js";

export { PAGE_STYLE } from "./report-assets/style.js";

/**
 * The page's script. Routes: "#" the overview (summary, charts, table), "#cluster=N" cluster N of
 * the result (N as in --format jsonl's `cluster`), "#cluster=N/pM-I" its member M's paragraph I.
 */
export const PAGE_SCRIPT = SCRIPT_TABLE + SCRIPT_CLUSTER + SCRIPT_ROUTE;
