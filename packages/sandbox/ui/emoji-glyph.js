/**
 * Emoji as the page draws them, readable on a machine without a colour emoji font (a bare Linux desktop shows
 * an empty box for each). Slack draws its emoji as pictures, so it never depends on the fonts installed; the
 * sandbox gets close without shipping pictures: coloured circles (Muster's severities) are drawn as dots of
 * their colour, and when the browser has no colour emoji font the page is marked `no-colour-emoji` and every
 * other emoji shows its `:short_name:`, as Slack writes an emoji it cannot show. The character stays in the
 * text (copying and find-in-page work as in Slack); screen readers read the name.
 */
import { h } from './dom.js';

/** Circles drawn as a dot of their colour (Slack's own colours). */
const DOTS = {
  red_circle: '#dd2e44',
  large_orange_circle: '#f4900c',
  large_yellow_circle: '#fdcb58',
  large_green_circle: '#78b159',
  large_blue_circle: '#55acee',
  large_purple_circle: '#aa8ed6',
  large_brown_circle: '#c1694f',
  white_circle: '#e6e7e8',
  black_circle: '#31373d',
};

/** An emoji `name` (its character `char`) as an image with its name; `decorative` ones are hidden from readers. */
export function emojiGlyph(name, char, opts = {}) {
  const dot = DOTS[name];
  const attrs = opts.decorative
    ? { 'aria-hidden': 'true' }
    : { role: 'img', 'aria-label': name.replace(/_/g, ' '), title: `:${name}:` };
  return h(
    'span',
    {
      ...attrs,
      class: `emoji${dot ? ' dot' : ''}${opts.decorative ? ' decorative' : ''}`,
      'data-fallback': `:${name}:`,
      ...(dot ? { style: `--dot: ${dot}` } : {}),
    },
    char,
  );
}

/**
 * Whether the browser draws emoji in colour, that is, has a colour emoji font: a drawn 😀 has coloured pixels,
 * while a missing glyph (an empty box) or a black-and-white symbol font draws only greys.
 */
export function drawsColourEmoji() {
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 32;
  const c = canvas.getContext('2d', { willReadFrequently: true });
  if (!c) return true;
  c.textBaseline = 'top';
  c.fillStyle = '#000';
  c.font = '24px "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", sans-serif';
  c.fillText('\u{1F600}', 0, 0);
  const px = c.getImageData(0, 0, 32, 32).data;
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3] > 0 && (Math.abs(px[i] - px[i + 1]) > 8 || Math.abs(px[i + 1] - px[i + 2]) > 8))
      return true;
  }
  return false;
}
