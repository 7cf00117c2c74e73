/**
 * Text as DOM nodes: Slack mrkdwn (parsed by mrkdwn.js) and Block Kit text objects. Everything goes in as
 * text nodes, never as HTML. `ctx` names people and channels and keeps the sandbox's own links in the page:
 * person(id), channel(id), openChannel(id), href(url), follow(event, href).
 */
import { h } from './dom.js';
import { emojiGlyph } from './emoji-glyph.js';
import { formatSlackDate, parseMrkdwn, parsePlain } from './mrkdwn.js';

function nodesToDom(nodes, ctx) {
  return nodes.map((n) => {
    switch (n.t) {
      case 'text':
        return document.createTextNode(n.text);
      case 'br':
        return h('br');
      case 'b':
        return h('strong', {}, nodesToDom(n.children, ctx));
      case 'i':
        return h('em', {}, nodesToDom(n.children, ctx));
      case 's':
        return h('del', {}, nodesToDom(n.children, ctx));
      case 'code':
        return h('code', {}, n.text);
      case 'pre':
        return h('pre', {}, n.text);
      case 'quote':
        return h('blockquote', {}, nodesToDom(n.children, ctx));
      case 'emoji':
        return emojiGlyph(n.name, n.char);
      case 'user': {
        const person = ctx.person(n.id);
        return h('span', { class: 'mention' }, `@${person ? person.displayName : (n.label ?? n.id)}`);
      }
      case 'channel': {
        const channel = ctx.channel(n.id);
        const name = channel ? channel.name : (n.label ?? n.id);
        return h(
          'a',
          {
            class: 'mention',
            href: `?channel=${encodeURIComponent(n.id)}`,
            onclick: (e) => {
              e.preventDefault();
              ctx.openChannel(n.id);
            },
          },
          `#${name}`,
        );
      }
      case 'special':
        return h('span', { class: 'mention' }, n.label);
      case 'date':
        return h(
          'time',
          { datetime: new Date(n.seconds * 1000).toISOString(), title: n.fallback },
          formatSlackDate(n.seconds, n.format) || n.fallback,
        );
      case 'link': {
        const href = ctx.href(n.url);
        if (href === null) return h('span', {}, nodesToDom(n.children, ctx));
        const inside = href.startsWith('/') || href.startsWith('?');
        return h(
          'a',
          {
            href,
            ...(inside
              ? { onclick: (e) => ctx.follow(e, href) }
              : { target: '_blank', rel: 'noopener noreferrer' }),
          },
          nodesToDom(n.children, ctx),
        );
      }
      default:
        return document.createTextNode('');
    }
  });
}

/** Slack mrkdwn text as DOM nodes. */
export const mrkdwn = (text, ctx) => nodesToDom(parseMrkdwn(text), ctx);

/** A text object (`plain_text` or `mrkdwn`). */
export function textObject(obj, ctx) {
  if (!obj) return [];
  if (typeof obj === 'string') return mrkdwn(obj, ctx);
  return obj.type === 'mrkdwn'
    ? mrkdwn(obj.text, ctx)
    : nodesToDom(parsePlain(obj.text, obj.emoji !== false), ctx);
}

/** Plain string of a text object, for attributes (labels, placeholders). */
export const plainOf = (obj) => (obj ? String(obj.text ?? '') : '');
