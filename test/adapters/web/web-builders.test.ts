/** The web page's pure builders: escaping, links, Slack text as HTML, the postmortem's HTML and the SVG charts. */
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, safeHref, trusted } from '../../../src/adapters/web/html.js';
import { plainTitle } from '../../../src/adapters/web/incident-list-page.js';
import { shortDuration } from '../../../src/adapters/web/insights-page.js';
import { postmortemHtml } from '../../../src/adapters/web/postmortem-html.js';
import { slackToHtml } from '../../../src/adapters/web/slack-html.js';
import {
  barChart,
  countScale,
  durationScale,
  lineChart,
  niceMax,
} from '../../../src/adapters/web/svg-chart.js';

describe('html', () => {
  it('escapes every interpolated value unless it is markup this module built', () => {
    const title = `"><script>alert('x')</script>&amp;`;
    expect(html`<td title="${title}">${title}</td>`.value).toBe(
      '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;</td>',
    );
    expect(html`<p>${html`<b>${'<i>'}</b>`}${[1, null, false, undefined, 'a&b']}</p>`.value).toBe(
      '<p><b>&lt;i&gt;</b>1a&amp;b</p>',
    );
    expect(html`${trusted('<svg/>')}`.value).toBe('<svg/>');
    expect(escapeHtml('a'.repeat(40_000) + '&')).toHaveLength(40_005);
  });

  it("lets only http(s), mailto and this site's paths into an href", () => {
    expect(safeHref('https://example.com/x')).toBe('https://example.com/x');
    expect(safeHref('mailto:ops@example.com')).toBe('mailto:ops@example.com');
    expect(safeHref('/incidents/4')).toBe('/incidents/4');
    for (const bad of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,x',
      '//evil.example',
      '/\\evil.example',
      'vbscript:x',
    ])
      expect(safeHref(bad), bad).toBeNull();
  });
});

describe('slackToHtml', () => {
  it('names people, links links, and keeps the rest as text', () => {
    const out = slackToHtml(
      '<@U1> rolled back <https://deploy.example.com/?a=1&amp;b=2|build &lt;42&gt;> &amp; <!here> <b>',
      {
        U1: 'Ada <Lovelace>',
      },
    ).value;
    expect(out).toBe(
      '@Ada &lt;Lovelace&gt; rolled back <a href="https://deploy.example.com/?a=1&amp;b=2" rel="noopener noreferrer">build &lt;42&gt;</a> &amp; @here &lt;b&gt;',
    );
  });

  it('never links javascript:, data: or other schemes', () => {
    const out = slackToHtml('<javascript:alert(1)|click> <data:text/html,x|here> <ftp://x|f>', {}).value;
    expect(out).not.toContain('<a ');
    expect(out).toContain('click');
  });

  it('keeps 40,000 characters and emoji whole', () => {
    const text = `${'&amp;&lt;'.repeat(4_000)}😀`;
    const out = slackToHtml(text, {}).value;
    expect(out).toBe(`${'&amp;&lt;'.repeat(4_000)}😀`);
  });
});

describe('plainTitle', () => {
  it('reads Slack markup, folds white space, and cuts without splitting an emoji', () => {
    expect(plainTitle('<@U1> broke\n\n<https://x.example|the &amp; build>')).toBe(
      '@U1 broke the & build (https://x.example)',
    );
    const cut = plainTitle(`${'a'.repeat(297)}👩‍👩‍👧 tail`, 300);
    expect(cut).toBe(`${'a'.repeat(297)}…`);
    expect(plainTitle('x'.repeat(40_000))).toHaveLength(300);
  });
});

describe('postmortemHtml', () => {
  it("renders tables and moves headings two levels down, under the page's h2", async () => {
    const out = (await postmortemHtml('# INC-1\n\n## Summary\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n'))
      .value;
    expect(out).toContain('<h3>INC-1</h3>');
    expect(out).toContain('<h4>Summary</h4>');
    expect(out).toContain('<table>');
  });

  it('shows raw HTML as text and drops dangerous link targets', async () => {
    const out = (
      await postmortemHtml('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>')
    ).value;
    expect(out).not.toMatch(/<script|<img|href="javascript/i);
    expect(out).toContain('&lt;script&gt;');
  });
});

describe('charts', () => {
  it('rounds the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.4, 1, 3, 7, 11, 240, 2_600_000].map(niceMax)).toEqual([
      1, 0.5, 1, 5, 10, 20, 250, 5_000_000,
    ]);
  });

  it('puts whole counts and round durations on the axis quarters', () => {
    expect([0, 1, 3, 4, 5, 9, 30].map(countScale)).toEqual([4, 4, 4, 4, 8, 12, 40]);
    const h = 3_600_000;
    expect([0, 50 * 60_000, 2.3 * h, 13.9 * h, 30 * 86_400_000].map(durationScale)).toEqual([
      4 * 60_000,
      60 * 60_000,
      4 * h,
      24 * h,
      120 * 86_400_000,
    ]);
  });

  it('reads durations short', () => {
    expect([45 * 60_000, 90 * 60_000, 47 * 3_600_000, 72 * 3_600_000].map(shortDuration)).toEqual([
      '45m',
      '1.5h',
      '47h',
      '3d',
    ]);
  });

  it('draws a line per series, broken where a week has no value, as an image with a title and description', () => {
    const svg = lineChart({
      id: 'c',
      title: 'TTA & <more>',
      description: 'median',
      xLabels: ['11-02', '11-09', '11-16'],
      series: [{ name: 'SEV-1', values: [60_000, null, 120_000], color: '#c62828' }],
      format: shortDuration,
    }).value;
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-title c-desc"/);
    expect(svg).toContain('<title id="c-title">TTA &amp; &lt;more&gt;</title>');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).not.toContain('style=');
  });

  it('stacks bars, and leaves out zero parts', () => {
    const svg = barChart({
      id: 'b',
      title: 'Incidents',
      description: 'per week',
      xLabels: ['a', 'b'],
      series: [
        { name: 'SEV-1', values: [1, 0], color: '#c62828' },
        { name: 'SEV-2', values: [2, 3], color: '#b35c00' },
      ],
      format: String,
      stacked: true,
    }).value;
    expect(svg.match(/<rect/g)).toHaveLength(3);
    expect(svg).toContain('<title>SEV-2, b: 3</title>');
  });
});
