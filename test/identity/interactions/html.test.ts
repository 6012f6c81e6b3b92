import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html } from '../../../src/identity/interactions/html.ts';

describe('html tagged template', () => {
  it('escapes every interpolated value', () => {
    const cases: Array<[unknown, string]> = [
      ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
      [`" onfocus='x' \``, '&quot; onfocus=&#39;x&#39; &#96;'],
      ['a & b', 'a &amp; b'],
      [42, '42'],
      [undefined, ''],
      [null, ''],
      [false, ''],
    ];
    for (const [value, expected] of cases) assert.equal(html`<p title="${value as string}">`.text, `<p title="${expected}">`);
  });

  it('inserts nested templates as markup and escapes arrays item by item', () => {
    const items = ['<a>', 'b'].map((item) => html`<li>${item}</li>`);
    assert.equal(html`<ul>${items}</ul>`.text, '<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    assert.equal(html`${['<x>', html`<y>`]}`.text, '&lt;x&gt;<y>');
  });

  it('does not treat a look-alike object as safe markup', () => {
    const forged = { text: '<img src=x onerror=alert(1)>', toString: () => '<img>' };
    assert.equal(html`${forged as unknown as string}`.text, '&lt;img&gt;');
    assert.equal(escapeHtml('&amp;'), '&amp;amp;');
  });
});
