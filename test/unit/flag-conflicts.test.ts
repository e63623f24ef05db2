// Flags that contradict each other or do nothing without another one are refused before anything runs, in one line
// (a ConfigError: exit code 2), instead of a run that quietly does something else.
import { describe, expect, it } from 'vitest';
import { jobFromFlags, type JobFlags } from '../../src/cli/flags';
import { outcomeOf } from '../../src/cli/outcome';
import { ConfigError } from '../../src/core/configError';
import { tableFromFlag } from '../../src/destinations/config';
import { errorOf } from '../support/errors';

const base: JobFlags = { url: 'https://dc.example.com', outputDir: 'out', workDir: 'work' };
const env = { CONFLUENCE_PERSONAL_ACCESS_TOKEN: 'pat' };
const job = (flags: Partial<JobFlags>) => jobFromFlags({ ...base, ...flags }, { workersHoldSecrets: false }, env);

describe('conflicting selections', () => {
  it('refuses --page-ids with --cql or --spaces', () => {
    expect(errorOf(() => job({ pageIds: '1,2', cql: 'space = ENG' }))).toBe(
      '--page-ids and --cql both choose the pages: give one of them',
    );
    expect(errorOf(() => job({ pageIds: '1', spaces: 'ENG' }))).toBe(
      '--page-ids and --spaces both choose the pages: give one of them',
    );
  });

  it('refuses --spaces that names no key', () => {
    expect(errorOf(() => job({ spaces: ' , ,' }))).toBe(
      '--spaces " , ," names no space key: give keys such as ENG,DOCS, or leave it out',
    );
  });

  it('takes --content-types for spaces only, and never a folder', () => {
    expect(errorOf(() => job({ cql: 'space = ENG', contentTypes: 'page,whiteboard' }))).toBe(
      '--content-types chooses what of each space is listed: it does nothing with --cql',
    );
    expect(errorOf(() => job({ contentTypes: 'page,folder' }))).toBe(
      '--content-types "folder": a folder is never a document (the pages in it are ingested); ' +
        'give some of page, whiteboard, database, embed',
    );
    expect(job({ contentTypes: 'Page, Embed' }).input.selection.contentTypes).toEqual(['page', 'embed']);
    expect(job({}).input.selection.contentTypes).toEqual(['page']);
  });

  it('refuses a label both wanted and excluded, whatever its case', () => {
    expect(errorOf(() => job({ labels: 'howto,Draft', excludeLabels: 'draft' }))).toBe(
      'label "Draft" is in both --labels and --exclude-labels: keep it in one of them',
    );
  });
});

describe('flags that belong to another', () => {
  it.each([
    [{ includeAttachments: true }, '--include-attachments', '--extract-files'],
    [{ forceDownload: true }, '--force-download', '--extract-files'],
    [{ apiKey: 'k' }, '--api-key', '--partition-by-api'],
    [{ embeddingModelName: 'm' }, '--embedding-model-name', '--embedding-provider'],
    [{ embeddingApiKey: 'k' }, '--embedding-api-key', '--embedding-provider'],
    [{ chunkMaxCharacters: '500' }, '--chunk-max-characters', '--chunking-strategy'],
    [{ chunkIncludeOrigElements: false }, '--no-chunk-include-orig-elements', '--chunking-strategy'],
  ] as [Partial<JobFlags>, string, string][])('refuses %o alone', (flags, flag, needs) => {
    expect(errorOf(() => job(flags))).toBe(`${flag} does nothing without ${needs}: add ${needs}, or leave it out`);
  });

  it('takes them beside the flag they belong to, and the defaults of negations as not given', () => {
    const { input } = job({
      extractFiles: true,
      includeAttachments: true,
      chunkingStrategy: 'basic',
      chunkMaxCharacters: '500',
      chunkIncludeOrigElements: false,
      chunkMultipageSections: true,
    });
    expect(input.extract.includeAttachments).toBe(true);
    expect(job({ chunkIncludeOrigElements: true, chunkMultipageSections: true }).input.chunking).toBeUndefined();
  });
});

describe('values', () => {
  it('refuses an --allow-list entry that is not an http(s) prefix', () => {
    expect(errorOf(() => job({ allowList: 'https://cdn.example.com/img,cdn.example.com' }))).toBe(
      '--allow-list entry "cdn.example.com" is not a URL prefix: give it as https://host/path',
    );
    expect(errorOf(() => job({ allowList: 'ftp://files.example.com/' }))).toMatch(/^--allow-list entry "ftp:/);
    expect(job({ allowList: 'https://cdn.example.com/img' }).input.extract.allowList).toEqual([
      'https://cdn.example.com/img',
    ]);
  });

  it('validates `postgres init --table` as `confluence --table`', () => {
    expect(errorOf(() => tableFromFlag('elements; drop table x'))).toBe(
      '--table "elements; drop table x" must be a table name such as elements or rag.elements (letters, digits, _)',
    );
    expect(tableFromFlag('rag.elements')).toBe('rag.elements');
  });

  it('is a ConfigError: exit code 2', () => {
    let thrown: unknown;
    try {
      job({ pageIds: '1', cql: 'x' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(outcomeOf(thrown).code).toBe(2);
  });
});
