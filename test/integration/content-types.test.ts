// Whiteboards, databases and embeds (Smart Links) of Cloud spaces, against the simulator over real HTTP (v1 removals
// answering 410) and a real Temporal dev server. By default a run ingests pages only and counts and names the rest of
// each space's tree by type, and `explain` says why one is missing; with --content-types each whiteboard, database and
// embed becomes a small document of its metadata, readable by exactly who can open it; an unchanged re-run skips them,
// a new restriction is rewritten in place, an edited one is ingested again, and one deleted is missing like a page.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimNode } from '../../simulator';
import { startIngest } from '../../src/client';
import type { Element, PermissionsData } from '../../src/core/elements';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import type { IngestInput } from '../../src/pipeline/config';
import { runCli } from '../support/cli';
import { outputFiles, readJson } from '../support/outputs';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';

const TREE_DOCS = ['whiteboard', 'database', 'embed'] as const;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    simulator: {
      seed: 24,
      spaces: 2,
      pagesPerSpace: 6,
      foldersPerSpace: 1,
      treeItemsPerSpace: 4,
      users: 5,
      permissions: 'restricted',
      v1Removed: true,
    },
  });
}, 180_000);
afterAll(() => stack?.stop());

const ingestBot = () => stack.sim.site.users[0];
const visible = (n: SimNode) => stack.sim.site.canView(ingestBot().id, n.id);
/** What each space's tree holds that the account can see, of the given types. */
const treeItems = (types: readonly string[]) =>
  stack.sim.site.spaces.flatMap((space) =>
    stack.sim.site.nodesOf(space.id).filter((n) => types.includes(n.type) && visible(n)),
  );
const spaceKeyOf = (n: SimNode) => stack.sim.site.space(n.spaceId)!.key;

describe('a run with the default --content-types (page)', () => {
  it('counts and names per space the folders, whiteboards, databases and embeds it leaves out; explain says why', {
    timeout: 240_000,
  }, async () => {
    const { sim } = stack;
    const out = path.join(tempDir('types-default'), 'out');
    const site = ['--url', sim.url, '--cloud', '--username', sim.credentials.username, '--auth', 'api-token'];
    const run = await runCli(['confluence', ...site, '--temporal-address', stack.address, '--output-dir', out]);
    expect(run.code, run.stderr).toBe(0);

    const report = readJson<RunReport>(path.join(out, REPORT_FILE));
    for (const space of sim.site.spaces) {
      const expected: Record<string, number> = {};
      for (const n of treeItems(['folder', ...TREE_DOCS]).filter((n) => n.spaceId === space.id))
        expected[n.type] = (expected[n.type] ?? 0) + 1;
      expect(report.spaces.find((s) => s.key === space.key)?.notIngested).toEqual(expected);
      expect(run.stderr).toContain(
        `space ${space.key}: ${['folder', ...TREE_DOCS]
          .filter((t) => expected[t])
          .map((t) => `${expected[t]} ${t}(s)`)
          .join(', ')} not ingested (folders hold pages; add whiteboard,database,embed to --content-types`,
      );
    }
    const items = treeItems(['folder', ...TREE_DOCS]);
    expect(report.notIngestedItems?.map((i) => i.id).sort()).toEqual(items.map((n) => n.id).sort());
    expect(report.spaces.flatMap((s) => Object.keys(s.byType ?? {}))).toEqual(report.spaces.map(() => 'page'));
    const written = outputFiles(out).map((f) => path.basename(f, '.html.json'));
    expect(written.filter((id) => items.some((n) => n.id === id))).toEqual([]);

    const whiteboard = items.find((n) => n.type === 'whiteboard')!;
    const why = await runCli(['explain', '--output-dir', out, whiteboard.title]);
    expect(why.stdout.trim()).toBe(
      `the last run (${report.finishedAt}) did not ingest whiteboard ${whiteboard.id} "${whiteboard.title}" ` +
        `(space ${spaceKeyOf(whiteboard)}), of a type not ingested: whiteboard is not in --content-types (the API ` +
        'gives its metadata, not its content: add whiteboard to ingest that)',
    );
  });
});

describe('a run with --content-types page,whiteboard,database,embed', () => {
  let job: IngestInput;
  const run = async () => (await startIngest(stack.client, job)).result();

  beforeAll(() => {
    const selection = { maxNumOfDocsFromEachSpace: 100_000, contentTypes: ['page', ...TREE_DOCS] };
    job = jobFor(stack.sim, tempDir('types-all'), { selection } as Partial<IngestInput>);
  });

  it('writes each as a document of its metadata, granting read to exactly who can open it', {
    timeout: 240_000,
  }, async () => {
    const { site } = stack.sim;
    // Restricted to the account and one other user: nobody else may be granted it.
    const restricted = treeItems(['whiteboard'])[0];
    const [bot, reader] = site.users;
    site.setRestriction(restricted.id, 'read', { userIds: [bot.id, reader.id], groupIds: [] });

    const result = await run();
    expect(result.failed).toBe(0);
    const docs = treeItems(TREE_DOCS);
    expect(docs.map((n) => n.type).sort()).toEqual(expect.arrayContaining([...TREE_DOCS]));
    for (const node of docs) {
      const elements = readJson<Element[]>(path.join(job.outputDir, spaceKeyOf(node), `${node.id}.html.json`));
      expect(elements[0]).toMatchObject({ type: 'Title', text: node.title });
      expect(elements.map((e) => e.text).join(' ')).toContain(`Confluence `);
      for (const element of elements) {
        const source = element.metadata.data_source!;
        expect(source.record_locator).toEqual({
          space_id: spaceKeyOf(node),
          document_id: node.id,
          content_type: node.type,
        });
        expect(source).toMatchObject({ version: String(node.version.number), date_created: node.createdAt });
        expect(source.url).toContain(`/${node.type}/${node.id}`);
        expect(readers(source.permissions_data)).toEqual(oracle(node.id));
      }
    }
    const granted = readers(readJson<Element[]>(outputOf(restricted))[0].metadata.data_source?.permissions_data);
    expect(granted.filter((id) => id !== bot.id && id !== reader.id)).toEqual([]);

    for (const space of site.spaces) {
      const entry = result.spaces.find((s) => s.key === space.key)!;
      for (const type of TREE_DOCS) {
        const count = docs.filter((n) => n.spaceId === space.id && n.type === type).length;
        if (count > 0) expect(entry.byType?.[type]).toMatchObject({ listed: count, done: count });
      }
      expect(Object.keys(entry.notIngested ?? {})).toEqual(['folder']);
    }
  });

  it('skips them unchanged, rewrites a new restriction, ingests an edit, and reports a deletion missing', {
    timeout: 240_000,
  }, async () => {
    const { site } = stack.sim;
    const again = await run();
    expect(again).toMatchObject({ failed: 0, done: 0 });
    // Their permissions are checked like a page's on every run, and found as they were.
    expect(again.permissionsChangedCount ?? 0).toBe(0);
    const docs = treeItems(TREE_DOCS);
    const unchanged = again.spaces.flatMap((s) => TREE_DOCS.map((t) => s.byType?.[t]?.unchanged ?? 0));
    expect(unchanged.reduce((a, n) => a + n, 0)).toBe(docs.length);

    // A restriction makes no new version: the output's permissions are rewritten in place, as a page's are.
    const narrowed = docs.filter((n) => n.type === 'whiteboard').at(-1)!;
    site.setRestriction(narrowed.id, 'read', { userIds: [ingestBot().id], groupIds: [] });
    const drifted = await run();
    expect(drifted).toMatchObject({ failed: 0, done: 0 });
    expect(drifted.permissionsChanged?.map((p) => p.id)).toEqual([narrowed.id]);
    const rewritten = readJson<Element[]>(outputOf(narrowed))[0].metadata.data_source?.permissions_data;
    expect(readers(rewritten)).toEqual([ingestBot().id]);

    const edited = site.editTreeItem(docs.find((n) => n.type === 'database')!.id, { title: 'Renamed tracker' });
    const gone = docs.find((n) => n.type === 'embed')!;
    site.deletePage(gone.id);
    const later = await run();
    expect(later).toMatchObject({ failed: 0, done: 1 });
    expect(readJson<Element[]>(outputOf(edited))[0]).toMatchObject({ type: 'Title', text: 'Renamed tracker' });
    expect(later.missing.map((m) => m.id)).toEqual([gone.id]);
    // Kept (no --delete-missing), granting no one: like a page that vanished.
    const kept = readJson<Element[]>(outputOf(gone))[0].metadata.data_source?.permissions_data;
    expect(readers(kept)).toEqual([]);
  });

  function outputOf(node: SimNode): string {
    return path.join(job.outputDir, spaceKeyOf(node), `${node.id}.html.json`);
  }
});

/** The users an output grants read to, groups expanded. */
function readers(data: PermissionsData | undefined): string[] {
  const read = data?.[0].read;
  if (!read) return [];
  const viaGroups = read.groups.flatMap((id) => stack.sim.site.group(id)?.memberIds ?? []);
  return [...new Set([...read.users, ...viaGroups])].sort();
}

/** The users the simulator lets open the content. */
function oracle(id: string): string[] {
  return stack.sim.site.users
    .filter((u) => stack.sim.site.canView(u.id, id))
    .map((u) => u.id)
    .sort();
}
