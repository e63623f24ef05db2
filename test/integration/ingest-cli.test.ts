// The foundation, as a user runs it: the `confluence` command with an embedded Temporal against the simulator.
import { mkdtempSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { runCli } from '../support/cli';
import { outputFiles, readJson } from '../support/outputs';
import type { Element } from '../../src/core/elements';
import { REPORT_FILE } from '../../src/pipeline/activities/report';

let sim: RunningSimulator;
let work: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, spaces: 3, pagesPerSpace: 40 });
  work = mkdtempSync(path.join(os.tmpdir(), 'ingest-cli-'));
});
afterAll(async () => sim?.close());

function ingest(outputDir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  return runCli(
    [
      'confluence',
      '--cloud',
      '--output-dir',
      outputDir,
      '--work-dir',
      path.join(work, 'blobs'),
      '--page-size',
      '15',
      ...extra,
    ],
    {
      CONFLUENCE_URL: sim.url,
      CONFLUENCE_USERNAME: sim.credentials.username,
      CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
      ...env,
    },
  );
}

describe('durable-ingest confluence', () => {
  it('ingests every page of every space into <space>/<id>.html.json element arrays', async () => {
    const out = path.join(work, 'all');
    const run = await ingest(out);
    expect(run.stderr).toContain('120 of 120 pages ingested');
    expect(run.stderr).toContain('0 unchanged, 0 failed');
    expect(run.code).toBe(0);

    const files = outputFiles(out);
    expect(files).toHaveLength(120);
    const spaces = sim.site.spaces.map((s) => s.key).sort();
    expect([...new Set(files.map((f) => path.dirname(f)))].sort()).toEqual(spaces);
    for (const file of files) {
      expect(file).toMatch(/^[^/]+\/\d+\.html\.json$/);
      const elements = readJson<Element[]>(path.join(out, file));
      expect(elements.length).toBeGreaterThan(1);
      const pageId = path.basename(file, '.html.json');
      const labels = sim.site.labelsOf(pageId).map((l) => l.name);
      const locator = { space_id: path.dirname(file), document_id: pageId, ...(labels.length > 0 ? { labels } : {}) };
      for (const el of elements) {
        expect(el.element_id).toMatch(/^[0-9a-f]{32}$/);
        expect(typeof el.type).toBe('string');
        expect(el.metadata.data_source?.record_locator).toEqual(locator);
        expect(el.metadata.data_source?.version).toMatch(/^\d+$/);
        expect(el.metadata.data_source?.url).toContain(pageId);
        expect(el.metadata.data_source?.date_processed).toBeTruthy();
        expect(el.metadata.data_source?.permissions_data?.map((p) => Object.keys(p)[0])).toEqual([
          'read',
          'update',
          'delete',
        ]);
      }
      expect(elements[0].type).toBe('Title');
    }
    expect(sim.stats.pageBodyRequests.size).toBe(120);
    const report = readJson<{ done: number; failed: number; listed: number }>(path.join(out, REPORT_FILE));
    expect(report).toMatchObject({ done: 120, failed: 0, listed: 120 });
  });

  it('--spaces selects spaces and --max-num-of-docs-from-each-space caps each', async () => {
    const [first, second] = sim.site.spaces.map((s) => s.key);
    const out = path.join(work, 'some');
    const run = await ingest(out, ['--spaces', `${first},${second}`, '--max-num-of-docs-from-each-space', '7']);
    expect(run.code).toBe(0);
    const files = outputFiles(out);
    expect(files).toHaveLength(14);
    expect(files.filter((f) => f.startsWith(`${first}/`))).toHaveLength(7);
    expect(files.filter((f) => f.startsWith(`${second}/`))).toHaveLength(7);
  });
});

describe('bad input', () => {
  const cases: Array<[string, string[], NodeJS.ProcessEnv, RegExp]> = [
    ['missing URL', [], { CONFLUENCE_URL: '' }, /missing site URL.*--url/],
    ['wrong token', [], { CONFLUENCE_API_TOKEN: 'wrong-token' }, /401|credentials|authenticat/i],
    ['unknown space key', ['--spaces', 'NOPE'], {}, /space key\(s\) NOPE not found.*--spaces/],
  ];
  for (const [name, args, env, message] of cases) {
    it(`${name}: one clear line, non-zero exit, no output dir`, async () => {
      const out = path.join(work, `bad-${name.replace(/\W+/g, '-')}`);
      const run = await ingest(out, args, env);
      expect(run.code).not.toBe(0);
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).not.toContain(sim.credentials.apiToken);
      expect(existsSync(out)).toBe(false);
    });
  }
});
