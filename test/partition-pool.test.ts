// The partition pool: a page partitioned in a pool thread gives the same elements file as on the main thread (the
// worker's refusal of a thread count that is not a whole number: worker-cli.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { documentHtml } from '../src/connectors/confluence/download';
import type { PagePartitionTask } from '../src/pipeline/activities/partitionTask';
import { PartitionPool } from '../src/pipeline/activities/partitionThreads';
import { ChunkingConfigSchema } from '../src/steps/chunk';
import { tempDir } from './support/stack';

const threaded = new PartitionPool(1);
afterAll(() => threaded.close());

function taskIn(dir: string, name: string): PagePartitionTask {
  const htmlPath = path.join(dir, `${name}.html`);
  writeFileSync(htmlPath, documentHtml('Release checklist', '<h2>Before</h2><p>Freeze the branch and tag the build.</p><ul><li>Notify support</li></ul>'));
  const url = 'https://example.atlassian.net/wiki/x/42';
  return {
    document: {
      identifier: '42',
      version: 3,
      displayName: 'Release checklist',
      collection: 'ENG',
      sourceIdentifiers: { filename: '42.html', relativePath: 'ENG/42.html' },
      metadata: { url, version: '3', record_locator: { space_id: 'ENG', document_id: '42' } },
      localPath: htmlPath,
      mediaType: 'text/html',
      url,
    },
    elementsPath: path.join(dir, `${name}.elements.json`),
    chunking: ChunkingConfigSchema.parse({ strategy: 'by_title' }),
  };
}

it('writes the same chunks from a pool thread as from the main thread', async () => {
  const dir = tempDir('partition-pool');
  const inline = taskIn(dir, 'inline');
  const pooled = taskIn(dir, 'pooled');
  const [inlineCount, pooledCount] = await Promise.all([new PartitionPool(0).run(inline), threaded.run(pooled)]);
  expect(pooledCount).toBe(inlineCount);
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Array<{ type: string; text: string; metadata: { data_source: unknown } }>;
  const [fromThread, fromMain] = [read(pooled.elementsPath), read(inline.elementsPath)];
  expect(fromThread).toEqual(fromMain);
  expect(fromThread[0].type).toBe('CompositeElement');
  expect(fromThread[0].text).toContain('Freeze the branch');
  expect(fromThread[0].metadata.data_source).toEqual(pooled.document.metadata);
});
