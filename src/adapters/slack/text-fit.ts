/**
 * Cutting text to Slack's limits. Slack refuses a whole message (`invalid_blocks`) when one text is over its
 * limit, and it counts the text it receives: mrkdwn after escaping. The length counted here is UTF-16 code
 * units (JavaScript's `length`), which is never less than Slack's count of characters, so a text that fits
 * here fits there. A cut never splits an entity (`&amp;`), a markup span (`<@U1>`, `<https://x|label>`) or a
 * grapheme (an emoji with its skin tone or its ZWJ sequence, a letter with its accents).
 */

/** Slack's limits on the texts and counts of Block Kit that Muster builds. */
export const SLACK_LIMITS = {
  /** top-level `text` of a message; Slack refuses (`msg_too_long`) above it */
  messageText: 40_000,
  /** blocks of one message */
  messageBlocks: 50,
  /** blocks of a modal or the Home tab */
  viewBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  textInputMax: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  callbackId: 255,
  /** any text object not named above */
  text: 3000,
} as const;

/** Marks a text that was cut. */
export const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Units of mrkdwn that are never split: a markup span, an entity. */
const ATOMS = /<[^<>]*>|&(?:amp|lt|gt);/g;

/** A printable ASCII character or a line feed: between two of them there is always a grapheme boundary. */
const isPlainAscii = (code: number): boolean => (code >= 0x20 && code <= 0x7e) || code === 0x0a;

/**
 * How many UTF-16 units of `text` (from its start) hold whole graphemes within `budget`. Segmenting costs about
 * a microsecond a grapheme, so only what decides the cut is segmented: from the last boundary that two ASCII
 * characters make certain, to a little past the budget (a boundary depends only on the characters around it).
 */
function wholeGraphemes(text: string, budget: number): number {
  if (text.length <= budget) return text.length;
  if (budget <= 0) return 0;
  let from = budget;
  while (from > 0 && !(isPlainAscii(text.charCodeAt(from - 1)) && isPlainAscii(text.charCodeAt(from))))
    from--;
  let used = from;
  for (const { segment } of graphemes.segment(text.slice(from, budget + 16))) {
    if (used + segment.length > budget) break;
    used += segment.length;
  }
  return used;
}

/** The longest start of `text` of at most `budget` units that cuts no atom (when `atoms`) and no grapheme. */
function prefix(text: string, budget: number, atoms: boolean): string {
  let end = 0;
  if (atoms) {
    for (const m of text.matchAll(ATOMS)) {
      // the plain text before this atom, grapheme by grapheme; then the atom whole or not at all
      const took = wholeGraphemes(text.slice(end, m.index), budget - end);
      if (end + took < m.index) return text.slice(0, end + took);
      if (m.index + m[0].length > budget) return text.slice(0, m.index);
      end = m.index + m[0].length;
    }
  }
  return text.slice(0, end + wholeGraphemes(text.slice(end), budget - end));
}

function cutTo(text: string, max: number, atoms: boolean): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  return `${prefix(text, max - ELLIPSIS.length, atoms).trimEnd()}${ELLIPSIS}`;
}

/** Cuts mrkdwn (escaped already) to at most `max` units, ending in `…` when cut. */
export const fitMrkdwn = (text: string, max: number): string => cutTo(text, max, true);

/** Cuts the top-level `text` of a message (mrkdwn) to Slack's 40,000 characters. */
export const fitMessageText = (text: string): string => fitMrkdwn(text, SLACK_LIMITS.messageText);

/** Cuts a plain_text value to at most `max` units, ending in `…` when cut. */
export const fitPlain = (text: string, max: number): string => cutTo(text, max, false);
