/** Slack channel names: lowercase letters, digits, hyphens and underscores, at most 80 characters. */
export const MAX_CHANNEL_NAME = 80;

/**
 * Turns a title into a slug of lowercase ASCII letters, digits and hyphens. Accented letters lose their
 * accents ("Café" -> "cafe"); anything else (emoji, punctuation, other scripts) separates words.
 */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * `<prefix>-<number>-<slug>` within Slack's limit, cut at a word boundary where possible; with `suffix`
 * (after `name_taken`) the suffix is kept whole at the end. A title without letters or digits gives
 * `<prefix>-<number>`.
 */
export function incidentChannelName(prefix: string, number: number, title: string, suffix?: string): string {
  const head = `${prefix}-${number}`;
  const tail = suffix ? `-${suffix}` : '';
  const room = MAX_CHANNEL_NAME - head.length - tail.length - 1;
  let slug = slugify(title);
  if (slug.length > room) {
    const cut = slug.slice(0, room);
    const lastHyphen = cut.lastIndexOf('-');
    slug = (lastHyphen > room / 2 ? cut.slice(0, lastHyphen) : cut).replace(/-+$/, '');
  }
  return slug ? `${head}-${slug}${tail}` : `${head}${tail}`;
}

/** A private incident's channel, `<prefix>-<number>-private` (with `suffix` after `name_taken`): no word of its title. */
export function privateChannelName(prefix: string, number: number, suffix?: string): string {
  return incidentChannelName(prefix, number, 'private', suffix);
}
