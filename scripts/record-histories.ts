// Records the workflow histories test/unit/replay.test.ts replays: one ingest of the simulator per option path, run by the
// real worker on a real dev server, its histories (the ingest's runs and its page workflows') written as the JSON that
// `temporal workflow show --output json` prints, plus manifest.json (file -> workflow type, id and what it covers).
//
//   node bin/run-ts.js scripts/record-histories.ts
//
// Re-run it after changing workflow code on purpose (with patched() for runs already in flight): once every scenario
// has run, it replaces all the fixtures, under the same names. Two dev servers start one after the other
// (continue-as-new needs one that suggests it early); the whole run takes about 20 seconds.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { RunningSimulator, SimulatorOptionsInput } from '../simulator';
import type { FaultOptionsInput } from '../simulator/faults/options';
import type { z } from 'zod';
import { type IngestInput, IngestInputSchema } from '../src/pipeline/config';
import type { IngestProgress } from '../src/pipeline/progress';
import type { confluenceIngestWorkflow } from '../src/pipeline/workflows/ingest';
import { EMBEDDED_SERVER_OPTIONS } from '../src/temporal/prestart';
import { DEFAULT_TASK_QUEUE } from '../src/worker';
import { historyToJson } from '../test/support/historyJson';
import { type LocalServer, type RecordedRequest, startLocalServer } from '../test/fixtures/embedding/local-server';
import { type Stack, startStack, tempDir } from '../test/support/stack';

type History = temporal.api.history.v1.IHistory;

const HISTORIES_DIR = path.resolve(__dirname, '..', 'test', 'fixtures', 'histories');

/**
 * Two small spaces (seeded: ENG's three pages link images and files), so every fixture stays a few kB to a few tens of
 * kB.
 */
const SIMULATOR: SimulatorOptionsInput = { seed: 3, spaces: 2, pagesPerSpace: 3 };
/**
 * The second server suggests continue-as-new after this many events: the 6-page ingest then runs as a chain of runs.
 */
const SUGGEST_CONTINUE_AFTER_EVENTS = 40;
const SCENARIO_TIMEOUT_MS = 180_000;

/**
 * Every matching request answered 429 with a blocked user's Retry-After: the client fails it at once and for good, so
 * the fault is deterministic. Each burst lasts 1 ms, so the rate-limit reset it announces pauses the site for no
 * longer.
 */
const BLOCKED = { rateLimitBursts: { everyRequests: 1, durationMs: 1, retryAfter: '9223372036854775807' } };

interface ManifestEntry {
  file: string;
  scenario: string;
  covers: string;
  workflowType: 'confluenceIngestWorkflow' | 'confluencePageWorkflow';
  workflowId: string;
}

type JobInput = Partial<z.input<typeof IngestInputSchema>>;

interface Context {
  sim: RunningSimulator;
  embeddings: LocalServer;
  /** The space most scenarios ingest, and one of its pages without children (a fault on it touches no other page). */
  space: string;
  leaf: string;
}

interface Scenario {
  name: string;
  covers: string;
  /**
   * The job (as the workflow input, defaults left out), on top of a Cloud ingest of the simulator into a fresh
   * directory.
   */
  job(ctx: Context): JobInput;
  faults?(ctx: Context): FaultOptionsInput;
  /** Record page workflows too: one per path their histories took (the runs of the ingest are always recorded). */
  pages: boolean;
  /** Throws when the run did not take the path the scenario is for. */
  check(result: IngestProgress, steps: string[][], ctx: Context): void;
}

function must(condition: boolean, what: string): void {
  if (!condition) throw new Error(`the recorded run did not ${what}`);
}

const SCENARIOS: Scenario[] = [
  {
    name: 'plain',
    covers: 'a plain run of one space, with search attributes (as the embedded CLI runs it)',
    job: (ctx) => ({ selection: selection([ctx.space]), searchAttributes: true }),
    pages: true,
    check: (result, steps) => {
      must(result.done === 3 && result.failed === 0, 'ingest 3 pages');
      must(
        steps.every((s) => s.join() === 'downloadPage,partitionPage,uploadPage'),
        'run download, partition, upload only',
      );
    },
  },
  {
    name: 'extract',
    covers: '--extract-images and --extract-files: images inlined, linked files as documents of their own',
    job: (ctx) => ({ selection: selection([ctx.space]), extract: { images: true, files: true } }),
    pages: true,
    check: (result, steps) => {
      must(result.done === 3 && result.failed === 0, 'ingest 3 pages');
      const all = steps.flat();
      for (const step of ['inlinePageImages', 'downloadPageFiles', 'partitionExtractedFile', 'uploadExtractedFile'])
        must(all.includes(step), `run ${step}`);
    },
  },
  {
    name: 'comments-labels',
    covers:
      "--include-comments and --exclude-labels: each page's comments as a document of their own, a labelled page left out",
    job: (ctx) => ({
      selection: { spaces: [ctx.space], excludeLabels: [excludedLabel(ctx)] },
      extract: { comments: true },
    }),
    pages: true,
    check: (result, steps) => {
      must(
        result.done === 2 && result.failed === 0 && result.filteredOut === 1,
        'ingest 2 pages and leave one out by label',
      );
      must(
        steps.every(
          (s) =>
            s.join() ===
            'downloadPage,partitionPage,downloadPageComments,partitionParts,uploadExtractedFile,uploadPage',
        ),
        "run the comments' steps on every page",
      );
    },
  },
  {
    name: 'chunking',
    covers: '--chunking-strategy by_title',
    job: (ctx) => ({ selection: selection([ctx.space]), chunking: { strategy: 'by_title', maxCharacters: 200 } }),
    pages: true,
    check: (result) => must(result.done === 3 && result.failed === 0, 'ingest 3 pages'),
  },
  {
    name: 'embeddings',
    covers: '--embedding-provider openai against a local OpenAI-compatible server',
    job: (ctx) => ({
      selection: selection([ctx.space]),
      embedding: { provider: 'openai', apiBase: `${ctx.embeddings.url}/v1`, modelName: 'replay-embedder' },
    }),
    pages: true,
    check: (result, steps, ctx) => {
      must(result.done === 3 && result.failed === 0, 'ingest 3 pages');
      must(
        steps.every((s) => s.includes('embedPage')),
        'embed every page',
      );
      must(ctx.embeddings.requests.length > 0, 'call the embedding server');
    },
  },
  {
    name: 'permission-skip',
    covers: '--on-permission-error skip: a page whose permissions cannot be read is skipped and reported',
    job: (ctx) => ({ selection: selection([ctx.space]), permissions: { onError: 'skip' } }),
    // Batched reads (CQL search) refused too, so the page's own reads are asked for, and refused.
    faults: (ctx) => ({
      ...BLOCKED,
      only: `/(content/search|pages/${ctx.leaf}/ancestors|content/${ctx.leaf}/restriction)`,
    }),
    pages: true,
    check: (result, _steps, ctx) => {
      must(result.done === 2 && result.skipped === 1 && result.failed === 0, 'skip exactly one page');
      must(
        result.skippedItems.some((i) => i.pageId === ctx.leaf && i.reason.startsWith('permissions unreadable')),
        'report the page as skipped for its permissions',
      );
    },
  },
  {
    name: 'failing-page',
    covers: 'a page that fails (its requests refused for good): reported by id and reason, the others written',
    job: (ctx) => ({ selection: selection([ctx.space]) }),
    faults: (ctx) => ({ ...BLOCKED, only: `/(pages|content)/${ctx.leaf}(/|$)` }),
    pages: true,
    check: (result, _steps, ctx) => {
      must(result.done === 2 && result.failed === 1, 'fail exactly one page');
      must(result.failures[0]?.id === ctx.leaf, 'fail that page');
    },
  },
  {
    name: 'listing-fails',
    covers: 'a space whose listing fails: reported, the other space ingested',
    job: (ctx) => ({ selection: selection([ctx.space, 'OPS']) }),
    faults: (ctx) => ({ ...BLOCKED, only: `/spaces/${ctx.sim.site.spaceByKey('OPS')!.id}/pages` }),
    pages: false,
    check: (result) => {
      must(result.done === 3 && result.failed === 0, 'ingest the listable space');
      must(Boolean(result.spaces.find((s) => s.key === 'OPS')?.listingError), 'report the unlistable space');
    },
  },
];

const CONTINUE_AS_NEW: Scenario = {
  name: 'continue-as-new',
  covers: `continue-as-new: 6 pages, 2 refs per listing call, 1 page at a time, the server suggesting it after ${SUGGEST_CONTINUE_AFTER_EVENTS} events`,
  job: (ctx) => ({ selection: selection([ctx.space, 'OPS']), pageSize: 2, maxInFlight: 1 }),
  pages: false,
  check: (result) => {
    must(result.done === 6 && result.failed === 0, 'ingest 6 pages');
    must(result.continuedAsNew >= 2, 'continue-as-new at least twice');
  },
};

/** A label of the space's leaf page that no other page of the space has, so excluding it leaves out that page alone. */
function excludedLabel({ sim, space, leaf }: Context): string {
  const others = sim.site.pagesOf(sim.site.spaceByKey(space)!.id).filter((p) => p.id !== leaf);
  const label = sim.site
    .labelsOf(leaf)
    .find((l) => others.every((p) => !sim.site.labelsOf(p.id).some((o) => o.name === l.name)));
  if (!label) throw new Error(`the simulator's page ${leaf} has no label of its own: change SIMULATOR`);
  return label.name;
}

function selection(spaces: string[]): JobInput['selection'] {
  return { spaces };
}

/** Vectors from the text alone: every run answers the same. */
function embeddingsReply(req: RecordedRequest) {
  const { input } = JSON.parse(req.body.toString('utf8')) as { input: string[] };
  const vector = (text: string) => [
    text.length,
    [...text].reduce((h, c) => (h * 31 + c.codePointAt(0)!) % 1_000_003, 7),
    1,
  ];
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: vector(text) }));
  return {
    status: 200,
    body: { object: 'list', data, model: 'replay-embedder', usage: { prompt_tokens: 1, total_tokens: 1 } },
  };
}

function contextOf(sim: RunningSimulator, embeddings: LocalServer): Context {
  const space = 'ENG';
  const pages = sim.site
    .pagesOf(sim.site.spaceByKey(space)!.id)
    .filter((p) => p.type === 'page' && p.status === 'current')
    .map((p) => p.id);
  const leaf = pages.find((id) => sim.site.page(id)!.parentId && sim.site.children(id).length === 0);
  if (!leaf) throw new Error(`the simulator's ${space} has no page without children: change SIMULATOR`);
  return { sim, embeddings, space, leaf };
}

/** Every run of a workflow, first to last, following continue-as-new. */
async function runsOf(client: Client, workflowId: string): Promise<History[]> {
  const latest = await client.workflow.getHandle(workflowId).fetchHistory();
  const firstRunId = latest.events![0].workflowExecutionStartedEventAttributes!.firstExecutionRunId!;
  const runs: History[] = [];
  for (let runId: string | undefined = firstRunId; runId; ) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

function childIdsOf(history: History): string[] {
  return (history.events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
}

/** The steps a page workflow ran, in order: ordinary activities and local activities (recorded as markers). */
function stepsOf(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled) return [scheduled];
    const marker = e.markerRecordedEventAttributes;
    const data = marker?.markerName === 'core_local_activity' ? marker.details?.data?.payloads?.[0]?.data : undefined;
    if (!data) return [];
    const { activity_type: activityType } = JSON.parse(Buffer.from(data).toString('utf8')) as {
      activity_type?: string;
    };
    return activityType ? [activityType] : [];
  });
}

/** One page history per path taken (its steps in order and how it ended): pages that went the same way add nothing. */
function pathsOf(pages: History[]): number[] {
  const seen = new Set<string>();
  return pages.flatMap((history, i) => {
    const key = `${stepsOf(history).join()} -> ${history.events?.at(-1)?.eventType}`;
    return seen.has(key) || !seen.add(key) ? [] : [i];
  });
}

async function record(stack: Stack, scenario: Scenario, ctx: Context): Promise<ManifestEntry[]> {
  const dir = tempDir(`record-${scenario.name}`);
  try {
    ctx.sim.setFaults(scenario.faults?.(ctx) ?? {});
    const { sim } = ctx;
    const overrides = scenario.job(ctx);
    const job: IngestInput = IngestInputSchema.parse({
      site: { url: sim.url, cloud: true, auth: 'api-token', username: sim.credentials.username },
      outputDir: path.join(dir, 'out'),
      ...overrides,
      extract: { downloadDir: path.join(dir, 'downloads'), ...overrides.extract },
    });
    const workflowId = `replay-${scenario.name}`;
    const handle = await stack.client.workflow.start<typeof confluenceIngestWorkflow>('confluenceIngestWorkflow', {
      taskQueue: DEFAULT_TASK_QUEUE,
      workflowId,
      args: [job],
      workflowExecutionTimeout: SCENARIO_TIMEOUT_MS,
    });
    const result = await handle.result();
    ctx.sim.setFaults({});

    const runs = await runsOf(stack.client, workflowId);
    const children = runs.flatMap(childIdsOf);
    const pages = await Promise.all(children.map((id) => stack.client.workflow.getHandle(id).fetchHistory()));
    scenario.check(result, pages.map(stepsOf), ctx);

    const entries: ManifestEntry[] = [];
    const covers = scenario.covers;
    runs.forEach((history, i) => {
      const file = runs.length === 1 ? `${scenario.name}.ingest.json` : `${scenario.name}.ingest.run-${i + 1}.json`;
      writeHistory(file, history);
      entries.push({ file, scenario: scenario.name, covers, workflowType: 'confluenceIngestWorkflow', workflowId });
    });
    if (scenario.pages) {
      pathsOf(pages).forEach((i, n) => {
        const file = `${scenario.name}.page-${n + 1}.json`;
        writeHistory(file, pages[i]);
        entries.push({
          file,
          scenario: scenario.name,
          covers,
          workflowType: 'confluencePageWorkflow',
          workflowId: children[i],
        });
      });
    }
    const { done, skipped, failed, continuedAsNew } = result;
    console.log(
      `${scenario.name}: ${JSON.stringify({ done, skipped, failed, continuedAsNew })}, ${entries.length} histories`,
    );
    return entries;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * File name -> JSON, written only once every scenario has been recorded (a failed run leaves the fixtures as they
 * were).
 */
const recorded = new Map<string, string>();

function writeHistory(file: string, history: History): void {
  recorded.set(file, historyToJson(history));
}

async function withStack<T>(devServerArgs: string[], body: (stack: Stack, ctx: Context) => Promise<T>): Promise<T> {
  const stack = await startStack({
    simulator: SIMULATOR,
    devServer: { ...EMBEDDED_SERVER_OPTIONS, extraArgs: devServerArgs },
  });
  const embeddings = await startLocalServer(embeddingsReply);
  try {
    return await body(stack, contextOf(stack.sim, embeddings));
  } finally {
    await embeddings.close();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const entries: ManifestEntry[] = [];
  await withStack([], async (stack, ctx) => {
    for (const scenario of SCENARIOS) entries.push(...(await record(stack, scenario, ctx)));
  });
  const suggest = [
    '--dynamic-config-value',
    `limit.historyCount.suggestContinueAsNew=${SUGGEST_CONTINUE_AFTER_EVENTS}`,
  ];
  await withStack(suggest, async (stack, ctx) => {
    entries.push(...(await record(stack, CONTINUE_AS_NEW, ctx)));
  });

  mkdirSync(HISTORIES_DIR, { recursive: true });
  for (const file of readdirSync(HISTORIES_DIR)) if (file.endsWith('.json')) rmSync(path.join(HISTORIES_DIR, file));
  for (const [file, text] of recorded) writeFileSync(path.join(HISTORIES_DIR, file), text);
  writeFileSync(path.join(HISTORIES_DIR, 'manifest.json'), `${JSON.stringify(entries, null, 2)}\n`);
  let total = 0;
  for (const { file } of entries) total += statSync(path.join(HISTORIES_DIR, file)).size;
  console.log(
    `wrote ${entries.length} histories (${Math.round(total / 1024)} kB) and manifest.json to ${path.relative(process.cwd(), HISTORIES_DIR)}`,
  );
  console.log('check them against the workflow code: npx vitest run test/unit/replay.test.ts');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
