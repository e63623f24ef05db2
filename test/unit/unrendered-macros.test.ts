// Macros that leave an empty wrapper in body.view are named per page; macros with output, or empty by design, are not.
import { expect, it } from 'vitest';
import { unrenderedMacros } from '../../src/connectors/confluence/unrenderedMacros';

const wrapper = (name: string, inner = '') =>
  `<div class="conf-macro output-block" data-hasbody="false" data-macro-name="${name}">${inner}</div>`;

it('names each macro that rendered nothing, once per name with a count', () => {
  const html = [
    '<p>Intro</p>',
    wrapper('jira', '<span class="jira-issues"></span>'),
    wrapper('detailssummary'),
    wrapper('detailssummary', '<div> </div>'),
    wrapper('info', '<p>Shown</p>'),
    wrapper('toc'),
    wrapper('anchor'),
    wrapper('gallery', '<img src="x.png">'),
  ].join('');
  expect(unrenderedMacros(html)).toEqual([
    { name: 'macro jira', reason: expect.stringMatching(/^rendered nothing in body\.view/) },
    { name: 'macro detailssummary (2x)', reason: expect.stringMatching(/^rendered nothing in body\.view/) },
  ]);
});

it('says nothing of a page without macros', () => {
  expect(unrenderedMacros('<p>Just text</p>')).toEqual([]);
});
