import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { elementId, assignElementIds } from '../../src/core/elementId';
import { partitionHtml } from '../../src/steps/partition/html';
import {
  cellTextType,
  cleanBullets,
  deriveTextType,
  plainTextType,
  slideTextType,
} from '../../src/steps/partition/textType';

const wrap = (title: string, view: string): string => `<body class='Document'><h1>${title}</h1>${view}</body>`;

// A Data Center emoticon (class "emoticon") inside a sentence, then a Cloud one (data-emoji-id) after it.
const EMOTICONS =
  '<p>Deploy is done <img class="emoticon emoticon-tick" data-emoticon-name="tick" alt="(tick)" src="/tick.png"> and verified.</p>' +
  '<p>Rollback was not needed. <img data-emoji-id="1f642" data-emoji-shortname=":slight_smile:" alt="🙂" src="/1f642.png"></p>';

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
    expect(assignElementIds(els)).toEqual([
      elementId('a.pdf', 'x', 1, 0),
      elementId('a.pdf', 'x', 2, 0),
      elementId('a.pdf', 'x', 1, 1),
    ]);
  });
});

describe('partitionHtml', () => {
  it('gives the first heading the id Unstructured gives it and parents the page under it', () => {
    const els = partitionHtml(wrap('My First Heading', '<p>The service <b>restarts</b> every night.</p>'), {
      filename: 'fake-html.html',
    });
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
    const view =
      '<p>See <a href="/wiki/x">the runbook</a> first.</p><img src="data:image/png;base64,iVBOR" alt="diagram"><img src="https://h/a.png">';
    const els = partitionHtml(wrap('T', view), { filename: 'p.html', url: 'https://h/p' });
    expect(els[1]!.metadata).toMatchObject({ link_texts: ['the runbook'], link_urls: ['/wiki/x'], url: 'https://h/p' });
    expect(els[2]).toMatchObject({
      type: 'Image',
      text: 'diagram',
      metadata: { image_base64: 'iVBOR', image_mime_type: 'image/png' },
    });
    expect(els[3]).toMatchObject({ type: 'Image', text: '', metadata: { image_url: 'https://h/a.png' } });
  });

  it('reads pathologically deep markup as text instead of overflowing the stack', () => {
    const depth = 5000;
    const html = `<body>${'<div><span>'.repeat(depth)}deep text survives${'</span></div>'.repeat(depth)}<p>after the nesting</p></body>`;
    expect(partitionHtml(html, { filename: 'd.html' }).map((e) => e.text)).toEqual([
      'deep text survives',
      'after the nesting',
    ]);
  });

  // Expected: partition_html of unstructured 0.27.35 on the same HTML.
  it('keeps Confluence emoticons as Image elements between the halves of their sentence, as Unstructured does', () => {
    const els = partitionHtml(wrap('T', EMOTICONS), { filename: 'p.html' });
    expect(els.map((e) => [e.type, e.text])).toEqual([
      ['Title', 'T'],
      ['NarrativeText', 'Deploy is done'],
      ['Image', '(tick)'],
      ['NarrativeText', 'and verified.'],
      ['NarrativeText', 'Rollback was not needed.'],
      ['Image', '🙂'],
    ]);
    expect(els[2]!.metadata.image_url).toBe('/tick.png');
  });

  it('drops Data Center and Cloud emoticons with dropEmoticons, the sentence whole again', () => {
    const els = partitionHtml(wrap('T', EMOTICONS), { filename: 'p.html', dropEmoticons: true });
    expect(els.map((e) => [e.type, e.text])).toEqual([
      ['Title', 'T'],
      ['NarrativeText', 'Deploy is done and verified.'],
      ['NarrativeText', 'Rollback was not needed.'],
    ]);
  });

  it('keeps other images with dropEmoticons', () => {
    const els = partitionHtml(wrap('T', '<p>See the diagram.</p><img src="/arch.png" alt="Architecture">'), {
      filename: 'p.html',
      dropEmoticons: true,
    });
    expect(els.map((e) => e.type)).toEqual(['Title', 'NarrativeText', 'Image']);
  });
});

describe('Confluence view HTML', () => {
  const page = (file: string, title = 'Page') => {
    const view = readFileSync(join(__dirname, '..', 'fixtures', 'partition', 'pages', file), 'utf8');
    return partitionHtml(wrap(title, view), { filename: file });
  };

  it('keeps code macros intact as CodeSnippet, entities decoded and indentation kept', () => {
    const code = page('02-code-macros.html').filter((e) => e.type === 'CodeSnippet');
    expect(code).toHaveLength(3);
    expect(code[0]!.text).toContain('./deploy.sh --service "$svc" --env staging && echo "deployed $svc"\ndone');
    expect(code[1]!.text).toBe(
      'replicas: 3\nresources:\n  limits:\n    cpu: "2"\n    memory: 4Gi\n# keep <= 4 replicas in staging',
    );
    expect(code[2]!.text).toContain('private final Map<String, List<Integer>> cache = new HashMap<>();');
  });

  it('reads panels, expand blocks, layouts and task lists in reading order', () => {
    const texts = (file: string) => page(file).map((e) => e.text);
    expect(texts('03-panels.html').slice(1, 5)).toEqual([
      'This runbook applies to production only. Staging has its own page.',
      'Before you start, read the warnings below carefully.',
      'Data loss risk',
      'Never run the migration twice. The second run drops the archive tables.',
    ]);
    expect(texts('04-expand.html')).toContain('Why does the client disconnect every hour?');
    const layout = texts('05-layouts.html');
    expect(layout.indexOf('Owners')).toBeLessThan(layout.indexOf('Dependencies'));
    expect(layout.indexOf('Sidebar notes are kept short.')).toBeLessThan(layout.indexOf('Last reviewed in March.'));
    const tasks = page('06-task-list.html').filter((e) => e.type === 'ListItem');
    expect(tasks.map((e) => e.text)).toEqual([
      'Freeze the release branch',
      'Run the full regression suite',
      'Update the changelog with Priya Natarajan',
      'Tag the build and publish the notes due 14 May 2024',
    ]);
  });

  it('keeps mention and page-link text and records the link targets', () => {
    const [, mentions, links] = page('10-mentions-links.html');
    expect(mentions!.text).toBe('This design was reviewed by Marco Rossi and Aiko Tanaka on the twelfth.');
    expect(mentions!.metadata.link_texts).toEqual(['Marco Rossi', 'Aiko Tanaka']);
    expect(links!.metadata.link_urls).toEqual([
      '/wiki/spaces/ARCH/pages/55012/ADR-014+Event+sourcing',
      '/wiki/spaces/ARCH/pages/41000/ADR-009',
    ]);
  });

  it('detects the page language', () => {
    expect(page('15-german.html')[1]!.metadata.languages).toEqual(['deu']);
    expect(page('16-french.html')[1]!.metadata.languages).toEqual(['fra']);
    expect(page('17-japanese.html')[1]!.metadata.languages).toEqual(['jpn']);
  });
});

describe('text classification', () => {
  // Expected values are derive_element_type_from_text from unstructured 0.27.35 (Text = UncategorizedText).
  it.each([
    ['• Parking is available behind the building', 'ListItem'],
    ['- Visitors sign in at reception', 'ListItem'],
    ['-12.5 degrees', 'UncategorizedText'],
    ['Doylestown, PA 18901', 'Address'],
    ['billing@example.com', 'EmailAddress'],
    ['X', undefined],
    ['2024', 'UncategorizedText'],
    ['Opening Hours Monday To Friday', 'UncategorizedText'],
    ['THE SERVER IS DOWN', 'UncategorizedText'],
    ['The server restarts every night.', 'NarrativeText'],
    ['Owner: Dana Whitfield', 'UncategorizedText'],
    ['§§§ ### 123 !!!', 'UncategorizedText'],
    ['Call the front desk during business hours.', 'NarrativeText'],
    ['x1', 'UncategorizedText'],
    ['NOTE: the job runs nightly.', 'NarrativeText'],
  ])('%s -> %s', (text, type) => {
    expect(deriveTextType(text)).toBe(type);
  });

  it('strips the bullet from bulleted text but leaves a minus sign alone', () => {
    expect(cleanBullets('• Parking is available')).toBe('Parking is available');
    expect(cleanBullets('-12.5 degrees')).toBe('-12.5 degrees');
  });
});

describe('text classification by partitioner', () => {
  // Expected values: partition_text's element_from_text, partition_pptx's paragraph rules and partition_xlsx's
  // _create_element (unstructured 0.27.35) on the same text; each asks its own tests in its own order.
  it.each([
    ['1. Open a ticket in the queue', 'ListItem', 'NarrativeText', 'ListItem'],
    ['• Parking is behind the building', 'ListItem', 'NarrativeText', 'ListItem'],
    ['Doylestown, PA 18901', 'Address', 'Title', 'Title'],
    ['ops@example.com', 'EmailAddress', 'EmailAddress', 'Title'],
  ])('%s -> text %s, slide %s, sheet cell %s', (text, plain, slide, cell) => {
    expect([plainTextType(text), slideTextType(text), cellTextType(text)]).toEqual([plain, slide, cell]);
  });
});
