/**
 * Small charts drawn on the server as SVG: lines over weeks (times to acknowledge, mitigate, resolve) and bars
 * (incidents per week, action items opened and closed). No script and no style attribute (the page's
 * Content-Security-Policy allows neither): colours are presentation attributes. Each chart is an image with a
 * title and a description for screen readers; the page puts the same numbers in a table beside it.
 */
import { type Html, html } from './html.js';

export interface Series {
  name: string;
  /** one value per x label; null: no value that week (a line breaks there) */
  values: (number | null)[];
  /** a colour with 3:1 contrast or more on white */
  color: string;
  /** the dash pattern that tells the series apart without colour */
  dash?: string;
}

export interface ChartSpec {
  /** the chart's id, unique on the page (for aria-labelledby) */
  id: string;
  title: string;
  /** what the chart shows, in a sentence, for people who cannot see it */
  description: string;
  xLabels: string[];
  series: Series[];
  /** a y value as an axis label: `2h`, `3` */
  format: (v: number) => string;
  /** the top of the y axis for the largest value (its quarters are the axis's labels); default `niceMax` */
  scale?: (max: number) => number;
}

const W = 720;
const H = 260;
const PAD = { left: 64, right: 16, top: 16, bottom: 48 };

/** A round maximum for the y axis: 1, 2, 2.5 or 5 times a power of ten at or above `max`. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= max) return m * exp;
  return 10 * exp;
}

const n = (v: number) => Math.round(v * 10) / 10;

function frame(spec: ChartSpec, top: number, body: Html): Html {
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = n(PAD.top + plotH * (1 - f));
    return html`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#d0d7de" stroke-width="1"/><text x="${PAD.left - 8}" y="${n(y + 4)}" text-anchor="end" font-size="12" fill="#4f5660">${spec.format(top * f)}</text>`;
  });
  const count = spec.xLabels.length;
  const every = Math.max(1, Math.ceil(count / 8));
  const labels = spec.xLabels.map((label, i) =>
    i % every === 0 || i === count - 1
      ? html`<text x="${n(PAD.left + (plotW * (i + 0.5)) / Math.max(1, count))}" y="${H - PAD.bottom + 18}" text-anchor="middle" font-size="12" fill="#4f5660">${label}</text>`
      : '',
  );
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" focusable="false"><title id="${spec.id}-title">${spec.title}</title><desc id="${spec.id}-desc">${spec.description}</desc>${ticks}${labels}<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom}" stroke="#4f5660" stroke-width="1"/>${body}</svg>`;
}

/** The top of an axis of counts: four whole steps (0, 1, 2, 3, 4 for a week of one incident). */
export const countScale = (max: number): number => 4 * Math.max(1, Math.ceil(niceMax(max / 4)));

const MIN = 60_000;
const DURATION_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200].map(
  (m) => m * MIN,
);

/** The top of an axis of durations: four steps of a round duration (15 min, 1 h, 6 h, a day…). */
export const durationScale = (max: number): number =>
  4 * (DURATION_STEPS.find((step) => step * 4 >= max) ?? niceMax(max / 4));

const topOf = (spec: ChartSpec, values: (number | null)[]) =>
  (spec.scale ?? niceMax)(Math.max(0, ...values.filter((v): v is number => v !== null)));

/** Lines over the x labels, one per series, with a dot at each value. */
export function lineChart(spec: ChartSpec): Html {
  const top = topOf(
    spec,
    spec.series.flatMap((s) => s.values),
  );
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const count = Math.max(1, spec.xLabels.length);
  const x = (i: number) => n(PAD.left + (plotW * (i + 0.5)) / count);
  const y = (v: number) => n(PAD.top + plotH * (1 - v / top));
  const lines = spec.series.map((s) => {
    // a null splits the line: no value that week is not zero
    const runs: string[] = [];
    let run: string[] = [];
    s.values.forEach((v, i) => {
      if (v === null) {
        if (run.length) runs.push(run.join(' '));
        run = [];
      } else run.push(`${x(i)},${y(v)}`);
    });
    if (run.length) runs.push(run.join(' '));
    const dots = s.values.map((v, i) =>
      v === null ? '' : html`<circle cx="${x(i)}" cy="${y(v)}" r="3.5" fill="${s.color}"/>`,
    );
    return html`<g>${runs.map((points) => html`<polyline points="${points}" fill="none" stroke="${s.color}" stroke-width="2.5"${s.dash ? html` stroke-dasharray="${s.dash}"` : ''}/>`)}${dots}</g>`;
  });
  return frame(spec, top, html`${lines}`);
}

/** Bars over the x labels: stacked (one bar of every series per label) or side by side. */
export function barChart(spec: ChartSpec & { stacked: boolean }): Html {
  const totals = spec.xLabels.map((_, i) =>
    spec.stacked
      ? spec.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0)
      : Math.max(0, ...spec.series.map((s) => s.values[i] ?? 0)),
  );
  const top = topOf(spec, totals);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const count = Math.max(1, spec.xLabels.length);
  const slot = plotW / count;
  const barW = spec.stacked ? slot * 0.6 : (slot * 0.7) / Math.max(1, spec.series.length);
  const h = (v: number) => (plotH * v) / top;
  const bars = spec.xLabels.map((_, i) => {
    let base = H - PAD.bottom;
    return spec.series.map((s, k) => {
      const v = s.values[i] ?? 0;
      if (v <= 0) return '';
      const height = h(v);
      const left = spec.stacked
        ? PAD.left + slot * i + (slot - barW) / 2
        : PAD.left + slot * i + slot * 0.15 + barW * k;
      const top_ = base - height;
      if (spec.stacked) base = top_;
      return html`<rect x="${n(left)}" y="${n(top_)}" width="${n(barW)}" height="${n(height)}" fill="${s.color}"><title>${s.name}, ${spec.xLabels[i]}: ${spec.format(v)}</title></rect>`;
    });
  });
  return frame(spec, top, html`${bars}`);
}
