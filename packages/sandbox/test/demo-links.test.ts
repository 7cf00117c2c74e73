import { describe, expect, it } from 'vitest';
import { withoutLinksTo } from '../src/demo-links.js';

const BASE = 'http://127.0.0.1:41234/';

describe('withoutLinksTo: the demo postmortem without links into the stopped sandbox', () => {
  it('turns a link into the sandbox into its label, and keeps links elsewhere', () => {
    const md =
      '- **Runbooks:** [Checkout dashboard](https://grafana.example.com/d/1), [Checkout returns 5xx](http://127.0.0.1:41234/archives/C1/p1)';
    expect(withoutLinksTo(md, BASE)).toBe(
      '- **Runbooks:** [Checkout dashboard](https://grafana.example.com/d/1), Checkout returns 5xx',
    );
  });

  it('drops a timeline row\'s "in Slack" permalink with its separator', () => {
    const row =
      '| 15:36 | Bob | Message | Error rate is 35% · [in Slack](http://127.0.0.1:41234/archives/C1/p17?thread_ts=1.2&cid=C1) |';
    expect(withoutLinksTo(row, BASE)).toBe('| 15:36 | Bob | Message | Error rate is 35% |');
  });

  it('keeps escaped brackets and parentheses of a label as they were written; unlinks an angle-bracket target', () => {
    const md =
      'file: [notes \\[draft\\] (v2).md](http://127.0.0.1:41234/files/F1/notes.md) and [x](<http://127.0.0.1:41234/a b>)';
    expect(withoutLinksTo(md, BASE)).toBe('file: notes \\[draft\\] (v2).md and x');
  });

  it('leaves another port, another host and a longer port of the same host alone; removes autolinks', () => {
    const md = [
      '[a](http://127.0.0.1:4123/x)',
      '[b](http://127.0.0.1:412345/x)',
      '[c](http://localhost:41234/x)',
      '<http://127.0.0.1:41234/archives/C1/p1>',
      '[d](http://127.0.0.1:41234)',
    ].join('\n');
    expect(withoutLinksTo(md, BASE)).toBe(
      [
        '[a](http://127.0.0.1:4123/x)',
        '[b](http://127.0.0.1:412345/x)',
        '[c](http://localhost:41234/x)',
        '',
        'd',
      ].join('\n'),
    );
  });

  it('does not reach across lines or links for a label', () => {
    const md = '[keep](https://example.com/a) text] more [gone](http://127.0.0.1:41234/b)';
    expect(withoutLinksTo(md, BASE)).toBe('[keep](https://example.com/a) text] more gone');
  });
});

describe('withoutLinksTo on long input', () => {
  it('handles 40,000 escaped and unescaped brackets without rescanning the line', () => {
    const hostile = `${'\\['.repeat(20_000)}${'['.repeat(20_000)} [end](http://127.0.0.1:41234/x)`;
    const out = withoutLinksTo(hostile, BASE);
    expect(out.endsWith(' end')).toBe(true);
    expect(out.length).toBe(hostile.length - '[](http://127.0.0.1:41234/x)'.length);
  });
});
