// The OpenSearch destination against a real single-node OpenSearch (test/support/opensearch.ts, from Maven's jars):
// an ingest with local embeddings indexes exactly the elements the local destination writes, one document per
// element under the PostgreSQL destination's row id; a re-run changes nothing; an edit replaces exactly that page's
// documents; a worker SIGKILLed mid-run leaves each page's documents exactly once when another worker finishes the
// run; a permissions query filters them; --delete-missing removes a vanished page's documents; and bad input is one
// line at start with nothing written.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCheckpoint } from '../../src/checkpoint';
import { startIngest } from '../../src/client';
import type { Element } from '../../src/core/elements';
import { initIndex } from '../../src/destinations/opensearch/init';
import { OpenSearchIndex } from '../../src/destinations/opensearch/openSearchIndex';
import { rowId } from '../../src/destinations/postgres/rows';
import type { IngestInput } from '../../src/pipeline/config';
import { freePort } from '../support/ports';
import { runCli } from '../support/cli';
import { allHistoriesText } from '../support/history';
import { ensureModel } from '../support/model';
import { startOpenSearch, type TestOpenSearch } from '../support/opensearch';
import { comparableMetadata, outputFiles, readJson, walk } from '../support/outputs';
import { ingestThroughKill, jobFor, type Stack, startStack, tempDir } from '../support/stack';

const PASSWORD = 'worker-only-secret';
/** The URL a worker holds: a user and password (the node has no security plugin and ignores them). */
const workerUrl = (url: string) => url.replace('//', `//ingest:${PASSWORD}@`);

let node: TestOpenSearch;
let stack: Stack;
let work: string;

interface Hit {
  _id: string;
  _seq_no: number;
  _source: Element & { record_id: string; permissions_data?: unknown };
}

async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${node.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

async function documents(index = 'elements', query: object = { match_all: {} }): Promise<Hit[]> {
  // A page's stale documents are deleted unrefreshed (the index's own refresh shows that): what a run left is read
  // whole only after a refresh.
  await call('POST', `/${index}/_refresh`);
  const reply = await call<{ hits: { hits: Hit[] } }>('POST', `/${index}/_search`, {
    query,
    size: 10_000,
    seq_no_primary_term: true,
    sort: [{ record_id: 'asc' }, { element_id: 'asc' }],
  });
  return reply.hits.hits;
}

beforeAll(async () => {
  ensureModel();
  // The node's JVM and the stack start side by side: the node's port is chosen first, so the worker has its URL.
  const port = await freePort();
  const started = await Promise.allSettled([
    startOpenSearch(port).then((started) => {
      node = started;
    }),
    startStack({
      simulator: { seed: 13, spaces: 2, pagesPerSpace: 3 },
      workerOptions: { deps: { opensearchUrl: workerUrl(`http://127.0.0.1:${port}`) } },
    }).then((started) => {
      stack = started;
    }),
  ]);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  const created = await initIndex(new OpenSearchIndex(node.url, 'elements'), 384);
  expect(created).toMatchObject({ created: true, embeddings: 'in _source only' });
  work = tempDir('os-destination');
}, 900_000);
afterAll(async () => {
  await stack?.stop();
  await node?.stop();
});

function job(overrides: Partial<IngestInput> = {}): IngestInput {
  return jobFor(stack.sim, work, {
    embedding: { provider: 'huggingface', azureApiVersion: '2024-06-01', batchSize: 32 },
    maxInFlight: 4,
    destination: { type: 'opensearch', url: node.url, index: 'elements' },
    ...overrides,
  });
}

const localJob = () => job({ destination: { type: 'local' }, outputDir: path.join(work, 'local') });
const run = async (input: IngestInput) => (await startIngest(stack.client, input)).result();

describe('the OpenSearch destination', () => {
  it('indexes exactly the elements the local destination writes: one document per element, same ids, texts, metadata and vectors', async () => {
    const [localResult, osResult] = [await run(localJob()), await run(job())];
    expect(localResult).toMatchObject({ done: 6, failed: 0 });
    expect(osResult).toMatchObject({ done: 6, failed: 0 });

    const { outputDir } = localJob();
    const local = new Map(
      outputFiles(outputDir).map((f) => [path.basename(f, '.html.json'), readJson<Element[]>(path.join(outputDir, f))]),
    );
    const indexed = await documents();
    expect([...new Set(indexed.map((d) => d._source.record_id))].sort()).toEqual([...local.keys()].sort());
    for (const [pageId, elements] of local) {
      const page = indexed.filter((d) => d._source.record_id === pageId);
      expect(page.length, pageId).toBe(elements.length);
      const sorted = [...elements].sort((a, b) => (a.element_id < b.element_id ? -1 : 1));
      sorted.forEach((element, i) => {
        const { _id, _source } = page[i];
        expect(_id).toBe(rowId(element.element_id, pageId));
        expect(_source.text).toBe(element.text);
        expect(_source.type).toBe(element.type);
        expect(comparableMetadata(_source.metadata)).toEqual(comparableMetadata(element.metadata));
        expect(_source.permissions_data).toEqual(element.metadata.data_source?.permissions_data);
        expect(_source.embeddings).toEqual(element.embeddings);
      });
    }
  }, 400_000);

  it('a worker SIGKILLed mid-run leaves each page with exactly its elements, once', async () => {
    await initIndex(new OpenSearchIndex(node.url, 'killed'), 384);
    const killed = job({
      destination: { type: 'opensearch', url: node.url, index: 'killed' },
      outputDir: path.join(work, 'killed'),
      maxInFlight: 2,
      activityTimeoutSeconds: 10,
    });
    const checkpoint = () => {
      const [file] = walk(killed.outputDir).filter(
        (f) => f.startsWith('.checkpoint.opensearch.') && f.endsWith('.sqlite'),
      );
      return openCheckpoint(path.join(killed.outputDir, file));
    };
    const pageIds = stack.sim.site.pages.map((p) => p.id);
    const recorded = async () => {
      const store = checkpoint();
      const records = await store.records(killed.site.url, pageIds).finally(() => store.close());
      return records.map((r) => r.id).sort();
    };
    // Slow answers keep pages at every step when the worker dies, whatever the machine's speed.
    stack.sim.setFaults({ latencyMs: 150 });
    const { result, whileDown } = await ingestThroughKill(stack, killed, {
      taskQueue: 'opensearch-killed',
      killAfter: 2,
      env: { DURABLE_INGEST_OPENSEARCH_URL: workerUrl(node.url) },
      whileDown: recorded,
    }).finally(() => stack.sim.setFaults({ latencyMs: 0 }));
    expect(whileDown.length).toBeLessThan(6);
    expect(result).toMatchObject({ done: 6, failed: 0 });

    const { outputDir } = localJob();
    const local = new Map(
      outputFiles(outputDir).map((f) => [path.basename(f, '.html.json'), readJson<Element[]>(path.join(outputDir, f))]),
    );
    expect(await recorded()).toEqual([...local.keys()].sort());
    const indexed = await documents('killed');
    expect(new Set(indexed.map((d) => d._id)).size).toBe(indexed.length);
    expect([...new Set(indexed.map((d) => d._source.record_id))].sort()).toEqual([...local.keys()].sort());
    for (const [pageId, elements] of local)
      expect(
        indexed
          .filter((d) => d._source.record_id === pageId)
          .map((d) => d._id)
          .sort(),
        pageId,
      ).toEqual(elements.map((e) => rowId(e.element_id, pageId)).sort());
  });

  it('a re-run changes nothing', async () => {
    const before = await documents();
    expect(await run(job())).toMatchObject({ done: 0, skipped: 6, failed: 0 });
    expect(await documents()).toEqual(before); // _seq_no included: no document was written again
  });

  it("an edit replaces exactly that page's documents", async () => {
    const before = await documents();
    const edited = stack.sim.site.pages[0];
    stack.sim.site.editPage(edited.id, { title: 'Renamed for the OpenSearch test' });
    expect(await run(job())).toMatchObject({ done: 1, skipped: 5, failed: 0 });
    expect(await run(localJob())).toMatchObject({ done: 1, skipped: 5, failed: 0 });
    const edition = readJson<Element[]>(
      path.join(localJob().outputDir, outputFiles(localJob().outputDir).find((f) => f.includes(edited.id)) ?? ''),
    );
    const after = await documents();
    const others = (list: Hit[]) => list.filter((d) => d._source.record_id !== edited.id);
    expect(others(after)).toEqual(others(before));
    const page = after.filter((d) => d._source.record_id === edited.id);
    expect(page.map((d) => [d._source.element_id, d._source.text]).sort()).toEqual(
      edition.map((e) => [e.element_id, e.text]).sort(),
    );
    expect(page.map((d) => d._source.text)).toContain('Renamed for the OpenSearch test');
  });

  it("filters on who may read: a terms query on the reader's user and groups", async () => {
    const all = await documents();
    const reader = all
      .flatMap((d) => (d._source.permissions_data as Array<{ read?: { users: string[] } }> | undefined) ?? [])
      .flatMap((p) => p.read?.users ?? [])[0];
    expect(reader).toBeDefined();
    const readable = await documents('elements', {
      bool: {
        filter: [
          {
            bool: {
              should: [
                { terms: { 'permissions_data.read.users': [reader] } },
                { terms: { 'permissions_data.read.groups': ['no-such-group'] } },
              ],
            },
          },
        ],
      },
    });
    const expected = all.filter((d) => JSON.stringify(d._source.permissions_data ?? []).includes(`"${reader}"`));
    expect(readable.map((d) => d._id).sort()).toEqual(expected.map((d) => d._id).sort());
    expect(readable.length).toBeGreaterThan(0);
  });

  it('rewrites permissions in place and records it (update_by_query)', async () => {
    const index = new OpenSearchIndex(node.url, 'elements');
    const pageId = (await documents())[0]._source.record_id;
    let recorded = false;
    const permissions = [{ read: { users: ['only-me'], groups: [] } }];
    await index.rewritePermissions([pageId], { permissionsData: permissions as never, capped: true }, async () => {
      recorded = true;
      return true;
    });
    expect(recorded).toBe(true);
    const page = (await documents()).filter((d) => d._source.record_id === pageId);
    for (const { _source } of page) {
      expect(_source.permissions_data).toEqual(permissions);
      expect(_source.metadata.data_source?.permissions_data).toEqual(permissions);
      expect(_source.metadata.data_source?.record_locator?.permissions_capped).toBe(true);
    }
  });

  it('--delete-missing removes the documents of a page gone from the source', async () => {
    const gone = stack.sim.site.pages[stack.sim.site.pages.length - 1];
    stack.sim.site.deletePage(gone.id);
    const result = await run(job({ deleteMissing: true }));
    expect(result.missingCount).toBe(1);
    const left = await documents();
    expect(left.filter((d) => d._source.record_id === gone.id)).toEqual([]);
    expect(new Set(left.map((d) => d._source.record_id)).size).toBe(5);
  });
});

it('keeps the worker credentials out of every workflow history (the job names the cluster without them)', async () => {
  const { text } = await allHistoriesText(stack.client);
  expect(text).toContain(node.url);
  expect(text).not.toContain(PASSWORD);
});

it.skip('knn_vector embeddings: the k-NN plugin on Maven (opensearch-knn 2.19.1.0) is built for OpenSearch 2.19.1 with native faiss/nmslib libraries and does not load into this classpath node', () => {});

describe('bad input: one line at start, exit code 2, nothing written', () => {
  async function expectRefused(env: NodeJS.ProcessEnv, extra: string[], message: RegExp) {
    const before = (await documents()).length;
    const bodies = stack.sim.stats.pageBodyRequests.size;
    const result = await runCli(
      [
        'confluence',
        '--cloud',
        '--output-dir',
        path.join(work, 'cli-out'),
        '--work-dir',
        path.join(work, 'cli-work'),
        '--destination',
        'opensearch',
        ...extra,
      ],
      {
        CONFLUENCE_URL: stack.sim.url,
        CONFLUENCE_USERNAME: stack.sim.credentials.username,
        CONFLUENCE_API_TOKEN: stack.sim.credentials.apiToken,
        ...env,
      },
    );
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(stack.sim.stats.pageBodyRequests.size).toBe(bodies);
    expect((await documents()).length).toBe(before);
  }

  it('a missing index', () =>
    expectRefused(
      { DURABLE_INGEST_OPENSEARCH_URL: node.url },
      ['--index', 'nope'],
      /index nope at http:\/\/127\.0\.0\.1:\d+ does not exist: create it with `durable-ingest opensearch init/,
    ));

  it('a cluster that does not answer', () =>
    expectRefused(
      { DURABLE_INGEST_OPENSEARCH_URL: `http://ingest:${PASSWORD}@127.0.0.1:2` },
      ['--index', 'elements'],
      /cannot reach OpenSearch at http:\/\/127\.0\.0\.1:2 \(ECONNREFUSED\); start it, or fix --opensearch-url/,
    ));

  it('no URL, a URL that is not http, no index, a bad index name', async () => {
    await expectRefused(
      {},
      ['--index', 'elements'],
      /--destination opensearch needs the cluster: give --opensearch-url/,
    );
    await expectRefused(
      { DURABLE_INGEST_OPENSEARCH_URL: 'postgres://x' },
      ['--index', 'elements'],
      /--opensearch-url must be an http\(s\) URL/,
    );
    await expectRefused({ DURABLE_INGEST_OPENSEARCH_URL: node.url }, [], /--destination opensearch needs --index/);
    await expectRefused(
      { DURABLE_INGEST_OPENSEARCH_URL: node.url },
      ['--index', 'Bad*Name'],
      /--index must be an index name/,
    );
  });

  it('an index not made by `opensearch init` (record_id is text, so pages could not be replaced)', async () => {
    await call('PUT', '/plain', { mappings: { properties: { record_id: { type: 'text' } } } });
    await expectRefused(
      { DURABLE_INGEST_OPENSEARCH_URL: node.url },
      ['--index', 'plain'],
      /index plain at http:\/\/127\.0\.0\.1:\d+ does not map record_id as a keyword/,
    );
  });
});
