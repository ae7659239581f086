// The HTML report page's style sheet, as text (report-page.ts exports it; report-html.ts embeds it).

/** The page's style sheet. Colours keep a contrast of at least 4.5:1 (tests/report-browser.test.ts). */
export const PAGE_STYLE = String.raw`
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4d4d4d; --bg: #ffffff; --line: #c8c8c8; --accent: #1d4f91;
  --shared: #e6edf7; --shared-b: #3b5f91; --edited: #fff1cc; --edited-b: #8a5a00; --unique: #e2f3e5; --unique-b: #276b33;
  --repeated: #efe6f6; --repeated-b: #6b3d8f; --boilerplate: #eeeeee; --boilerplate-b: #666666; --ins: #b9e3c1; --del: #f6c9c9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible, [tabindex]:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--bg); padding: .5rem 1rem; z-index: 2; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
header.top, main, footer { max-width: 90rem; margin: 0 auto; padding: 0 1rem; }
header.top { padding-top: 1rem; border-bottom: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .25rem 0; }
h2 { font-size: 1.3rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.lede { margin: 0 0 .75rem; color: var(--muted); }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .5rem; margin: 0; }
.facts div { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.facts dt { color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; font-size: 1.25rem; font-weight: 600; }
.facts dd small { display: block; font-size: .8rem; font-weight: 400; color: var(--muted); }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.id { overflow-wrap: anywhere; min-width: 10rem; }
td.snip { color: var(--muted); min-width: 14rem; }
th button { font: inherit; font-weight: 600; background: none; border: 0; padding: 0; color: var(--accent); cursor: pointer; text-decoration: underline; }
th[aria-sort="ascending"] button::after { content: " \2191"; }
th[aria-sort="descending"] button::after { content: " \2193"; }
#cluster-table tbody tr { cursor: pointer; }
#cluster-table tbody tr:hover { background: #f3f6fa; }
.controls { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
.controls input[type="search"] { font: inherit; padding: .35rem .5rem; width: min(28rem, 100%); border: 1px solid #767676; border-radius: 4px; }
.pager { display: flex; gap: .5rem; align-items: center; margin: .5rem 0 1rem; flex-wrap: wrap; }
button.btn, a.btn { font: inherit; font-size: .95rem; padding: .3rem .7rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--bg); color: var(--accent); cursor: pointer; text-decoration: none; display: inline-block; }
button.btn[disabled] { color: #6b6b6b; border-color: #9a9a9a; cursor: default; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .5rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--muted); }
details { margin: .5rem 0; }
summary { cursor: pointer; }
.skipped td:first-child, .boilerplate-lines li { overflow-wrap: anywhere; }
.options { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .25rem 1rem; margin: 0; font-size: .92rem; }
.options div { display: flex; gap: .5rem; border-bottom: 1px solid var(--line); padding: .2rem 0; }
.options dt { flex: 0 0 auto; }
.options dd { margin: 0; color: var(--muted); }
h3#options-h { margin-top: 1rem; }
.bound { margin-top: .5rem; font-size: .92rem; }
.cluster-nav { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 1rem 0 .5rem; }
.cluster-nav .pos { color: var(--muted); }
#cluster-h:focus { outline: none; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; margin: .5rem 0; font-size: .9rem; }
.legend li { padding: .1rem .5rem; border-left: 4px solid; border-radius: 3px; }
.layout { border: 0; padding: 0; margin: .5rem 0; display: flex; gap: 1rem; flex-wrap: wrap; }
.members.side { display: grid; grid-auto-flow: column; grid-auto-columns: minmax(22rem, 1fr); gap: 1rem; overflow-x: auto; align-items: start; }
.members.stacked > section { margin-bottom: 1.5rem; }
.member { border: 1px solid var(--line); border-radius: 6px; padding: .75rem; min-width: 0; }
.member .scores, .member .adds { margin: .25rem 0; font-size: .92rem; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; padding: 0 .4rem; border-radius: 3px; background: var(--fg); color: var(--bg); vertical-align: middle; }
.evidence { font-size: .92rem; background: #f7f7f7; border-radius: 4px; padding: .25rem .5rem; }
.evidence blockquote { margin: .25rem 0 .25rem .5rem; padding-left: .5rem; border-left: 3px solid var(--shared-b); }
ol.paras { list-style: none; padding: 0; margin: .5rem 0 0; }
ol.paras li { margin: 0 0 .35rem; padding: .3rem .5rem .3rem .6rem; border-left: 5px solid; border-radius: 3px; overflow-wrap: anywhere; white-space: pre-wrap; }
.c-shared { background: var(--shared); border-color: var(--shared-b) !important; }
.c-edited { background: var(--edited); border-color: var(--edited-b) !important; }
.c-unique { background: var(--unique); border-color: var(--unique-b) !important; }
.c-repeated { background: var(--repeated); border-color: var(--repeated-b) !important; }
.c-boilerplate { background: var(--boilerplate); border-color: var(--boilerplate-b) !important; color: #3d3d3d; }
.tag { display: block; white-space: normal; font-size: .75rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
.ref { display: block; white-space: normal; font-size: .8rem; color: var(--muted); }
ins { background: var(--ins); text-decoration: underline; }
del { background: var(--del); text-decoration: line-through; }
ol.paras li:target, ol.paras li.target { outline: 3px solid #b35c00; }
footer { border-top: 1px solid var(--line); margin-top: 2rem; padding-top: .5rem; padding-bottom: 2rem; font-size: .9rem; color: var(--muted); }
kbd { border: 1px solid #9a9a9a; border-radius: 3px; padding: 0 .3rem; font-size: .85rem; background: #f4f4f4; color: var(--fg); }
@media (max-width: 48rem) {
  body { font-size: 15px; }
  .members.side { display: block; }
  .members.side > section { margin-bottom: 1rem; }
  td.snip, th.snip { display: none; }
  td.id { min-width: 8rem; }
}
@media print { .controls, .pager, .cluster-nav, .skip { display: none; } }
`;
