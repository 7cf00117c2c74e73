/**
 * The web page's one style sheet, served from Muster itself (`/incidents/assets/muster.css`): no CDN, nothing
 * inline (the Content-Security-Policy allows styles from this origin only). Colours keep a contrast of 4.5:1
 * or more on their backgrounds, and every focusable element shows where the keyboard is.
 */
export const WEB_STYLES = `
:root { color-scheme: light; --ink: #1f2328; --muted: #4f5660; --line: #d0d7de; --link: #0b57d0; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
html { font-size: 100%; }
body { margin: 0; font: 0.95rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; top: 0.5rem; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem 2rem; padding: 0.75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--panel); }
header.site .brand { font-weight: 700; font-size: 1.1rem; color: var(--ink); text-decoration: none; }
header.site nav ul { display: flex; gap: 1.25rem; list-style: none; margin: 0; padding: 0; }
header.site nav a[aria-current="page"] { font-weight: 700; color: var(--ink); }
header.site .who { margin-left: auto; display: flex; gap: 0.75rem; align-items: center; color: var(--muted); }
header.site form { margin: 0; }
main { max-width: 78rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
p.lead { color: var(--muted); margin-top: -0.5rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.title-cell { min-width: 16rem; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 0.6rem; font-size: 0.8rem; font-weight: 600; white-space: nowrap; border: 1px solid transparent; }
.sev-1 { background: #fde2e1; color: #8a1c14; border-color: #f5b5b0; }
.sev-2 { background: #fff0d9; color: #7a4100; border-color: #f3c98b; }
.sev-3 { background: #fff8c5; color: #5c4a00; border-color: #e8d57a; }
.sev-4 { background: #e7f0fe; color: #123c78; border-color: #b5cdf5; }
.status-resolved { background: #dafbe1; color: #0f5323; border-color: #a3dfb2; }
.status-open { background: #eef1f4; color: #2f363d; border-color: #ccd2d8; }
.private { background: #2f363d; color: #ffffff; }
form.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; align-items: flex-end; padding: 0.75rem 1rem; background: var(--panel); border: 1px solid var(--line); border-radius: 0.4rem; }
form.filters label { display: flex; flex-direction: column; font-weight: 600; font-size: 0.85rem; gap: 0.2rem; }
select, button, input { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #8c959f; border-radius: 0.3rem; background: #fff; color: var(--ink); }
button { cursor: pointer; background: #1f6feb; color: #fff; border-color: #1a5fc9; font-weight: 600; }
button.quiet { background: #fff; color: var(--ink); border-color: #8c959f; font-weight: 400; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.25rem; margin: 0.5rem 0 1rem; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.75rem; margin: 0.5rem 0 1rem; }
.card { border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.6rem 0.8rem; background: var(--panel); }
.card .value { font-size: 1.35rem; font-weight: 700; }
.card .label { color: var(--muted); font-size: 0.85rem; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline li { display: grid; grid-template-columns: 6.5rem 10rem 1fr; gap: 0.5rem; padding: 0.35rem 0; border-bottom: 1px solid var(--line); }
ol.timeline time { color: var(--muted); white-space: nowrap; }
ol.timeline .what { font-weight: 600; }
ol.timeline .details { overflow-wrap: anywhere; white-space: pre-wrap; }
.muted { color: var(--muted); }
figure.chart { margin: 0.5rem 0 1.5rem; }
figure.chart svg { width: 100%; max-width: 46rem; height: auto; display: block; }
figure.chart figcaption { font-weight: 600; margin-bottom: 0.25rem; }
details.data { margin-top: 0.25rem; }
.legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; margin: 0.25rem 0; font-size: 0.85rem; }
.legend .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 0.15rem; margin-right: 0.3rem; vertical-align: -0.1rem; }
.swatch-1 { background: #c62828; } .swatch-2 { background: #b35c00; } .swatch-3 { background: #7a6500; } .swatch-4 { background: #1f5fbf; } .swatch-all { background: #4f5660; } .swatch-closed { background: #1e7a34; } .swatch-opened { background: #8c959f; }
article.postmortem { border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.5rem 1.25rem 1rem; overflow-wrap: anywhere; }
article.postmortem table { font-size: 0.9rem; }
article.postmortem pre, article.postmortem code { background: var(--panel); }
article.postmortem pre { padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
.empty { padding: 1rem; border: 1px dashed var(--line); border-radius: 0.4rem; color: var(--muted); }
@media (max-width: 48rem) { ol.timeline li { grid-template-columns: 1fr; } header.site .who { margin-left: 0; } }
`;
