/**
 * The text the catalog writes where the core owns the words: its timeline entries and its error messages.
 * A timeline entry's text is Slack-formatted (TimelineEntry.text; the timeline view and the postmortem read
 * that markup), so plain values such as catalog names and runbook titles are escaped into it; an error
 * message quotes what someone typed so it cannot form a mention or a link.
 */

/** Plain text inside Slack-formatted text: `&`, `<` and `>` as entities, like the Slack adapter's escapeMrkdwn. */
const escapePlain = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));

/** The timeline text of an attached service. */
export function serviceAttachedText(service: string, owner: string): string {
  return `Service ${escapePlain(service)} attached (owner ${escapePlain(owner)})`;
}

/** The timeline text of a runbook link: a real link, so the timeline view and the postmortem show one. */
export function runbookLinkedText(title: string, url: string, service: string | null): string {
  return `Runbook linked: <${url}|${escapePlain(title)}>${service ? ` (${escapePlain(service)})` : ''}`;
}

const ENTITY = /^&(?:amp|lt|gt);$/;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * What someone typed, quoted for a message: `<`, `>` and a `&` that starts no entity escaped (Slack already
 * sends typed text with its entities encoded), cut to `max` units plus an ellipsis. The cut splits neither an
 * entity nor a grapheme, as the Slack adapter's fitMrkdwn cuts.
 */
export function quoteTyped(text: string, max = 60): string {
  const quoted = text.replace(/[<>]|&(?!(?:amp|lt|gt);)/g, escapePlain);
  if (quoted.length <= max + 1) return `"${quoted}"`;
  let kept = '';
  for (const part of quoted.split(/(&(?:amp|lt|gt);)/)) {
    const units = ENTITY.test(part) ? [part] : Array.from(graphemes.segment(part), (g) => g.segment);
    for (const unit of units) {
      if (kept.length + unit.length > max) return `"${kept.trimEnd()}…"`;
      kept += unit;
    }
  }
  return `"${kept.trimEnd()}…"`;
}
