// --extract-images and --extract-files through the whole pipeline: simulator, Temporal dev server, in-process worker.
// Seed 2 gives six pages with PNG images, two PDFs (one named with an accent) and a text file.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimAttachment } from '../../simulator';
import { startIngest } from '../../src/client';
import type { IngestInput } from '../../src/pipeline/config';
import type { Element } from '../../src/core/elements';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';
import { readJson, walk } from '../support/outputs';

let stack: Stack;
let sim: RunningSimulator;

beforeAll(async () => {
  stack = await startStack({ simulator: { seed: 2, spaces: 1, pagesPerSpace: 6 }, worker: 'in-process' });
  ({ sim } = stack);
});
afterAll(() => stack?.stop());

const downloads = () => sim.stats.routeCount('/download/attachments/');
const space = () => sim.site.spaces[0]!.key;
const attachments = (): SimAttachment[] => sim.site.pages.flatMap((p) => p.attachments);

async function ingest(job: IngestInput): Promise<void> {
  const result = await (await startIngest(stack.client, job)).result();
  expect(result.failed).toBe(0);
}

describe('--extract-images', () => {
  it('inlines every image of the site as data:image/png, fetched once each', async () => {
    const dir = tempDir('extract-images');
    const images = attachments().filter((a) => a.mediaType === 'image/png');
    expect(images.length).toBeGreaterThanOrEqual(4);
    sim.stats.reset();
    await ingest(jobFor(sim, dir, { extract: { images: true } } as Partial<IngestInput>));

    expect(downloads()).toBe(images.length);
    const imageElements = walk(path.join(dir, 'out'))
      .filter((f) => f.endsWith('.html.json'))
      .flatMap((f) => readJson<Element[]>(path.join(dir, 'out', f)))
      .filter((e) => e.type === 'Image');
    expect(imageElements).toHaveLength(images.length);
    for (const el of imageElements) {
      expect(el.metadata.image_mime_type).toBe('image/png');
      expect(Buffer.from(el.metadata.image_base64!, 'base64').subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(el.metadata.image_url).toBeUndefined();
    }
  });
});

describe('--extract-files', () => {
  const dir = tempDir('extract-files');
  const job = (extra: Partial<IngestInput['extract']> = {}, overrides: Partial<IngestInput> = {}) =>
    jobFor(sim, dir, {
      reprocess: true,
      extract: { files: true, includeAttachments: true, downloadDir: path.join(dir, 'downloads'), ...extra },
      ...overrides,
    } as Partial<IngestInput>);

  it('writes each attachment as its own document with the file URL and the parent page in data_source', async () => {
    sim.stats.reset();
    await ingest(job());
    expect(downloads()).toBe(attachments().length);

    const byType = new Map<string, string[]>();
    for (const att of attachments()) byType.set(att.mediaType, [...(byType.get(att.mediaType) ?? []), att.title]);
    expect(byType.get('application/pdf')).toHaveLength(2);
    expect(byType.get('text/plain')).toHaveLength(1);

    for (const att of attachments()) {
      const page = sim.site.page(att.pageId)!;
      const out = path.join(dir, 'out', space(), page.id, `${att.title}.json`);
      const elements = readJson<Element[]>(out);
      expect(elements.length).toBeGreaterThan(0);
      const source = elements[0]!.metadata.data_source!;
      expect(source.url).toBe(`${sim.url}/wiki/download/attachments/${page.id}/${encodeURIComponent(att.title)}`);
      expect(source.version).toBe('1');
      expect(source.record_locator).toEqual({
        space_id: space(),
        document_id: page.id,
        parent_url: expect.stringContaining(`/pages/${page.id}/`),
        file_name: att.title,
        attachment_id: att.id.replace(/^att/, ''),
      });
      expect(existsSync(path.join(dir, 'downloads', space(), page.id, att.title))).toBe(true);
    }
    const pdf = attachments().find((a) => a.title === 'résumé.pdf')!;
    const pdfElements = readJson<Element[]>(path.join(dir, 'out', space(), pdf.pageId, 'résumé.pdf.json'));
    expect(pdfElements.map((e) => e.text).join(' ')).toContain('r?sum?.pdf (version 1)');
    expect(pdfElements[0]!.metadata.filetype).toBe('application/pdf');
    const txt = attachments().find((a) => a.mediaType === 'text/plain')!;
    const txtElements = readJson<Element[]>(path.join(dir, 'out', space(), txt.pageId, `${txt.title}.json`));
    expect(txtElements.map((e) => e.text)).toContain(txt.title);
  });

  it('reuses downloaded files on a re-run, and downloads them again with --force-download', async () => {
    sim.stats.reset();
    await ingest(job());
    expect(downloads()).toBe(0);

    await ingest(job({ forceDownload: true }));
    expect(downloads()).toBe(attachments().length);
  });

  it('chunks the files as it chunks the page', async () => {
    await ingest(job({}, { chunking: { strategy: 'basic' } } as Partial<IngestInput>));
    const pdf = attachments().find((a) => a.mediaType === 'application/pdf')!;
    const elements = readJson<Element[]>(path.join(dir, 'out', space(), pdf.pageId, `${pdf.title}.json`));
    expect(elements.map((e) => e.type)).toEqual(['CompositeElement']);
    expect(elements[0]!.metadata.data_source!.url).toContain(`/download/attachments/${pdf.pageId}/`);
  });
});
