// Comments and labels through a whole ingest, Cloud (a real dev server and an in-process worker) and Data Center (the
// CLI in embedded mode): each page's comments land in <space>/<page-id>/comments.json with one part per comment
// (ids, thread, author, dates) and the page's permissions; labels sit in the page's record_locator; editing a
// comment or a label re-ingests exactly that page; --labels and --exclude-labels leave pages out, named in the report.
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimPage, startSimulator } from '../../simulator';
import { startIngest } from '../../src/client';
import type { Element } from '../../src/core/elements';
import type { IngestInput } from '../../src/pipeline/config';
import { REPORT_FILE, type RunReport } from '../../src/pipeline/activities/report';
import { runCli } from '../support/cli';
import { outputFiles, readJson } from '../support/outputs';
import { jobFor, type Stack, startStack, tempDir } from '../support/stack';

const RARE = ['archived', 'draft', 'obsolete'];

function pageElements(out: string, sim: RunningSimulator, page: SimPage): Element[] {
  return readJson<Element[]>(path.join(out, sim.site.space(page.spaceId)!.key, `${page.id}.html.json`));
}

function commentElements(out: string, sim: RunningSimulator, page: SimPage): Element[] {
  return readJson<Element[]>(path.join(out, sim.site.space(page.spaceId)!.key, page.id, 'comments.json'));
}

const locatorOf = (el: Element) => el.metadata.data_source?.record_locator as Record<string, unknown>;

/** Every comment of the page has elements, each naming it, its thread and parent, its author and its dates. */
function expectCommentsOf(
  out: string,
  sim: RunningSimulator,
  page: SimPage,
  authorOf: (userId: string) => string,
): void {
  const elements = commentElements(out, sim, page);
  const pagePermissions = pageElements(out, sim, page)[0].metadata.data_source?.permissions_data;
  const comments = sim.site.commentsOf(page.id);
  expect(new Set(elements.map((el) => locatorOf(el).comment_id)), page.id).toEqual(new Set(comments.map((c) => c.id)));
  for (const el of elements) {
    const comment = sim.site.comment(String(locatorOf(el).comment_id))!;
    let root = comment;
    while (root.parentId) root = sim.site.comment(root.parentId)!;
    expect(locatorOf(el)).toMatchObject({
      space_id: sim.site.space(page.spaceId)!.key,
      document_id: page.id,
      thread_id: root.id,
      comment_location: comment.location,
      author_id: authorOf(comment.authorId),
      ...(comment.parentId ? { parent_comment_id: comment.parentId } : {}),
    });
    expect(el.metadata.data_source).toMatchObject({
      version: String(comment.version.number),
      date_modified: comment.version.createdAt,
    });
    expect(el.metadata.data_source?.permissions_data).toEqual(pagePermissions);
    expect(comment.text).toContain(el.text.replace(/\.$/, ''));
  }
}

describe('Cloud', () => {
  let stack: Stack;
  let sim: RunningSimulator;
  let job: IngestInput;
  const pages = () => sim.site.pages.filter((p) => p.status === 'current');

  beforeAll(async () => {
    stack = await startStack({
      simulator: { seed: 12, spaces: 2, pagesPerSpace: 15, permissions: 'restricted' },
      worker: 'in-process',
    });
    ({ sim } = stack);
    job = jobFor(sim, tempDir('content-cloud'), { extract: { comments: true } as IngestInput['extract'] });
  });
  afterAll(() => stack?.stop());

  const run = async (input: IngestInput) => (await startIngest(stack.client, input)).result();

  it("writes each page's comments, with their page's permissions, and its labels in record_locator", {
    timeout: 600_000,
  }, async () => {
    const result = await run(job);
    expect(result).toMatchObject({ done: pages().length, failed: 0 });
    expect(sim.site.comments.length).toBeGreaterThan(20);
    for (const page of pages()) {
      expectCommentsOf(job.outputDir, sim, page, (id) => id);
      const labels = sim.site.labelsOf(page.id).map((l) => l.name);
      for (const el of pageElements(job.outputDir, sim, page))
        expect(locatorOf(el).labels).toEqual(labels.length > 0 ? labels : undefined);
    }
    // A page without comments still gets its (empty) comments document, so a later deletion leaves nothing stale.
    const silent = pages().find((p) => sim.site.commentsOf(p.id).length === 0)!;
    expect(commentElements(job.outputDir, sim, silent)).toEqual([]);
  });

  it('re-ingests exactly the pages whose comment was edited or added, or whose labels changed', {
    timeout: 600_000,
  }, async () => {
    const discussed = pages().find((p) => sim.site.commentsOf(p.id).some((c) => c.parentId))!;
    const reply = sim.site.commentsOf(discussed.id).find((c) => c.parentId)!;
    const relabelled = pages().find((p) => p.id !== discussed.id)!;
    const answered = pages().find(
      (p) => p.id !== discussed.id && p.id !== relabelled.id && sim.site.commentsOf(p.id).length === 0,
    )!;
    const touched = [discussed, relabelled, answered];
    const versions = touched.map((p) => p.version.number);
    sim.site.editComment(reply.id, 'Rollback finished before the deadline.');
    sim.site.setLabels(relabelled.id, ['runbook', 'security']);
    const added = sim.site.addComment({
      pageId: answered.id,
      location: 'inline',
      text: 'Which region does this cover?',
      authorId: sim.site.users[2].id,
    });
    sim.stats.reset();

    const result = await run(job);
    expect(result).toMatchObject({ done: 3, skipped: pages().length - 3, failed: 0 });
    expect([...sim.stats.pageBodyRequests.keys()].sort()).toEqual(touched.map((p) => p.id).sort());
    expect(touched.map((p) => p.version.number)).toEqual(versions);
    expect(commentElements(job.outputDir, sim, answered).map((el) => [locatorOf(el).comment_id, el.text])).toEqual([
      [added.id, added.text],
    ]);
    const edited = commentElements(job.outputDir, sim, discussed).find((el) => locatorOf(el).comment_id === reply.id)!;
    expect(edited.text).toBe('Rollback finished before the deadline.');
    expect(edited.metadata.data_source?.version).toBe(String(reply.version.number));
    expect(locatorOf(pageElements(job.outputDir, sim, relabelled)[0]).labels).toEqual(['runbook', 'security']);

    expect(await run(job)).toMatchObject({ done: 0, skipped: pages().length });
  });

  it('keeps only pages with a wanted label and none excluded, and names the others in the report', {
    timeout: 600_000,
  }, async () => {
    const selected = jobFor(sim, tempDir('content-labels'), {
      selection: { labels: ['runbook', 'faq', 'design'], excludeLabels: RARE } as IngestInput['selection'],
    });
    const names = (p: SimPage) => sim.site.labelsOf(p.id).map((l) => l.name);
    const kept = pages().filter(
      (p) => ['runbook', 'faq', 'design'].some((l) => names(p).includes(l)) && !RARE.some((l) => names(p).includes(l)),
    );
    const left = pages().filter((p) => !kept.includes(p));
    expect(kept.length).toBeGreaterThan(0);
    expect(left.some((p) => RARE.some((l) => names(p).includes(l)))).toBe(true);

    const result = await run(selected);
    expect(result).toMatchObject({ done: kept.length, failed: 0, filteredOut: left.length });
    expect(outputFiles(selected.outputDir).sort()).toEqual(
      kept.map((p) => `${sim.site.space(p.spaceId)!.key}/${p.id}.html.json`).sort(),
    );
    const report = readJson<RunReport>(path.join(selected.outputDir, REPORT_FILE));
    expect(report.skippedItems.map((s) => s.pageId).sort()).toEqual(left.map((p) => p.id).sort());
    const barred = left.find((p) => RARE.some((l) => names(p).includes(l)))!;
    expect(report.skippedItems.find((s) => s.pageId === barred.id)?.reason).toMatch(
      /^left out by --exclude-labels: labelled (archived|draft|obsolete)/,
    );
    expect(report.spaces.reduce((n, s) => n + (s.filteredOut ?? 0), 0)).toBe(left.length);
  });
});

describe('Data Center, from the command line', () => {
  let sim: RunningSimulator;
  let work: string;

  beforeAll(async () => {
    sim = await startSimulator({ mode: 'dc', seed: 16, spaces: 2, pagesPerSpace: 10, permissions: 'restricted' });
    work = mkdtempSync(path.join(os.tmpdir(), 'content-dc-'));
  });
  afterAll(async () => sim?.close());

  it('writes comments (replies from depth=all) and labels, and leaves out --exclude-labels pages', {
    timeout: 300_000,
  }, async () => {
    const out = path.join(work, 'out');
    const args = [
      'confluence',
      '--no-cloud',
      '--include-comments',
      '--exclude-labels',
      'Draft,obsolete,ARCHIVED',
      '--output-dir',
      out,
      '--work-dir',
      path.join(work, 'blobs'),
    ];
    const env = {
      CONFLUENCE_URL: sim.url,
      CONFLUENCE_USERNAME: sim.credentials.username,
      CONFLUENCE_PASSWORD: sim.credentials.password,
    };
    const cli = await runCli(args, env);
    const barred = (p: SimPage) => sim.site.labelsOf(p.id).some((l) => RARE.includes(l.name));
    const kept = sim.site.pages.filter((p) => !barred(p));
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toContain(
      `${sim.site.pages.length - kept.length} page(s) left out by --labels/--exclude-labels`,
    );
    expect(kept.length).toBeLessThan(sim.site.pages.length);
    expect(sim.site.comments.some((c) => c.parentId && kept.some((p) => p.id === c.pageId))).toBe(true);

    const userKey = (id: string) => sim.site.user(id)!.userKey;
    for (const page of kept) {
      expectCommentsOf(out, sim, page, userKey);
      const labels = sim.site.labelsOf(page.id).map((l) => l.name);
      expect(locatorOf(pageElements(out, sim, page)[0]).labels).toEqual(labels.length > 0 ? labels : undefined);
    }
    for (const page of sim.site.pages.filter(barred))
      expect(existsSync(path.join(out, sim.site.space(page.spaceId)!.key, `${page.id}.html.json`))).toBe(false);
    const report = readJson<RunReport>(path.join(out, REPORT_FILE));
    expect(report).toMatchObject({ done: kept.length, failed: 0, filteredOut: sim.site.pages.length - kept.length });

    // An edited reply re-ingests its page alone, and its comments document says what the reply says now.
    const reply = sim.site.comments.find((c) => c.parentId && kept.some((p) => p.id === c.pageId))!;
    sim.site.editComment(reply.id, 'Reply rewritten after the review.');
    sim.stats.reset();
    const again = await runCli(args, env);
    expect(again.code, again.stderr).toBe(0);
    expect(readJson<RunReport>(path.join(out, REPORT_FILE))).toMatchObject({
      done: 1,
      skipped: kept.length - 1,
      failed: 0,
    });
    expect([...sim.stats.pageBodyRequests.keys()]).toEqual([reply.pageId]);
    expectCommentsOf(out, sim, sim.site.page(reply.pageId)!, userKey);
  });
});
