// The partition pool: a page partitioned in a pool thread gives the same elements file as on the main thread (the
// worker's refusal of a thread count that is not a whole number: worker-cli.test.ts).
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { documentHtml } from '../../src/connectors/confluence/download';
import type { PagePartitionTask } from '../../src/pipeline/activities/partitionTask';
import { PartitionPool } from '../../src/pipeline/activities/partitionThreads';
import { ChunkingConfigSchema } from '../../src/steps/chunk';
import { tempDir } from '../support/stack';

const threaded = new PartitionPool(1);
afterAll(() => threaded.close());

function taskIn(dir: string): PagePartitionTask {
  const html = documentHtml(
    'Release checklist',
    '<h2>Before</h2><p>Freeze the branch and tag the build.</p><ul><li>Notify support</li></ul>',
  );
  const url = 'https://example.atlassian.net/wiki/x/42';
  return {
    document: {
      identifier: '42',
      version: 3,
      displayName: 'Release checklist',
      collection: 'ENG',
      sourceIdentifiers: { filename: '42.html', relativePath: 'ENG/42.html' },
      metadata: { url, version: '3', record_locator: { space_id: 'ENG', document_id: '42' } },
      content: { path: path.join(dir, '42.v3.html') },
      mediaType: 'text/html',
      url,
    },
    html,
    fileDirectory: dir,
    chunking: ChunkingConfigSchema.parse({ strategy: 'by_title' }),
  };
}

it('writes the same chunks from a pool thread as from the main thread', async () => {
  const dir = tempDir('partition-pool');
  const task = taskIn(dir);
  const [fromMain, fromThread] = await Promise.all([new PartitionPool(0).run(task), threaded.run(task)]);
  expect(fromThread).toEqual(fromMain);
  expect(fromThread[0].type).toBe('CompositeElement');
  expect(fromThread[0].text).toContain('Freeze the branch');
  expect(fromThread[0].metadata.data_source).toEqual(task.document.metadata);
  expect(fromThread[0].metadata.orig_elements).toBeDefined();
});

it("hands the job's partition options to the thread: emoticons kept by default, dropped when asked", async () => {
  const dir = tempDir('partition-pool');
  const view =
    '<p>Deploy is done <img class="emoticon emoticon-tick" data-emoticon-name="tick" alt="(tick)" src="/tick.png"> and verified.</p>';
  const task = { ...taskIn(dir), html: documentHtml('Deploy', view), chunking: undefined };
  const types = async (options?: PagePartitionTask['options']) =>
    (await threaded.run({ ...task, options })).map((e) => e.type);
  expect(await types()).toContain('Image');
  expect(await types({ dropEmoticons: false })).toContain('Image');
  expect(await types({ dropEmoticons: true })).toEqual(['Title', 'NarrativeText']);
});
