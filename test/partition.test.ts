import { describe, expect, it } from 'vitest';
import { elementId, assignElementIds } from '../src/partition/elementId';
import { partitionHtml } from '../src/partition/html';

const wrap = (title: string, view: string): string => `<body class='Document'><h1>${title}</h1>${view}</body>`;

describe('elementId', () => {
  it('matches the check value computed by Unstructured', () => {
    expect(elementId('fake-html.html', 'My First Heading', undefined, 0)).toMatch(/^57ab8bec/);
    expect(elementId('fake-html.html', 'My First Heading', undefined, 0)).toHaveLength(32);
  });

  it('hashes text as UTF-8 and prints missing values as None', () => {
    // sha256("Nonecafé ☕None3")[:32], computed with Python's hashlib
    expect(elementId(undefined, 'café ☕', undefined, 3)).toBe('4f4dbbcdcff28b84d5e51c4707713bf2');
  });

  it('counts seq per page_number value', () => {
    const els = [1, 2, 1].map((p) => ({ text: 'x', metadata: { filename: 'a.pdf', page_number: p } }));
    expect(assignElementIds(els)).toEqual([elementId('a.pdf', 'x', 1, 0), elementId('a.pdf', 'x', 2, 0), elementId('a.pdf', 'x', 1, 1)]);
  });
});

describe('partitionHtml', () => {
  it('gives the first heading the id Unstructured gives it and parents the page under it', () => {
    const els = partitionHtml(wrap('My First Heading', '<p>The service <b>restarts</b> every night.</p>'), { filename: 'fake-html.html' });
    expect(els.map((e) => [e.type, e.text])).toEqual([
      ['Title', 'My First Heading'],
      ['NarrativeText', 'The service restarts every night.'],
    ]);
    expect(els[0]!.element_id.startsWith('57ab8bec')).toBe(true);
    expect(els[1]!.metadata).toMatchObject({
      parent_id: els[0]!.element_id,
      filetype: 'text/html',
      languages: ['eng'],
      emphasized_text_contents: ['restarts'],
      emphasized_text_tags: ['b'],
    });
  });

  it('keeps code whitespace, tables as html and nested list depth', () => {
    const view =
      '<pre>\n  def f():\n      return 1\n</pre>' +
      '<table><tbody><tr><th>Key</th><td>a &amp; b</td></tr></tbody></table>' +
      '<ul><li>Outer<ul><li>Inner</li></ul></li></ul>';
    const els = partitionHtml(wrap('T', view), { filename: 'p.html' });
    expect(els[1]).toMatchObject({ type: 'CodeSnippet', text: '  def f():\n      return 1' });
    expect(els[2]).toMatchObject({ type: 'Table', text: 'Key a & b' });
    expect(els[2]!.metadata.text_as_html).toBe('<table><tbody><tr><th>Key</th><td>a &amp; b</td></tr></tbody></table>');
    expect(els.slice(3).map((e) => [e.type, e.text, e.metadata.category_depth])).toEqual([
      ['ListItem', 'Outer', 1],
      ['ListItem', 'Inner', 2],
    ]);
    expect(els[4]!.metadata.parent_id).toBe(els[3]!.element_id);
  });

  it('records links and images, with base64 for data: URLs', () => {
    const view = '<p>See <a href="/wiki/x">the runbook</a> first.</p><img src="data:image/png;base64,iVBOR" alt="diagram"><img src="https://h/a.png">';
    const els = partitionHtml(wrap('T', view), { filename: 'p.html', url: 'https://h/p' });
    expect(els[1]!.metadata).toMatchObject({ link_texts: ['the runbook'], link_urls: ['/wiki/x'], url: 'https://h/p' });
    expect(els[2]).toMatchObject({ type: 'Image', text: 'diagram', metadata: { image_base64: 'iVBOR', image_mime_type: 'image/png' } });
    expect(els[3]).toMatchObject({ type: 'Image', text: '', metadata: { image_url: 'https://h/a.png' } });
  });

  it('drops Confluence emoticons without splitting the sentence', () => {
    const view = '<p>Deploy is done <img class="emoticon emoticon-tick" data-emoticon-name="tick" alt="(tick)" src="/tick.png"> and verified.</p>';
    const els = partitionHtml(wrap('T', view), { filename: 'p.html' });
    expect(els.map((e) => e.text)).toEqual(['T', 'Deploy is done and verified.']);
  });
});
