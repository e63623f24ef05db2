// `npm run bench -- --pages N --latency-ms L [--rate-limit R] [--max-in-flight K] [--partition-threads T]
// [--profile-dir D]
//   [--data-center [--dc-version 8.5]] [--restricted] [--faults JSON] [--search-lag-ms MS --edit-before N]
//   [--no-batch-bodies] [--include-comments] [--no-change]`
// Starts the simulator, a dev server and a worker process, ingests N pages and prints one JSON line. With --no-change
// it then runs twice more with nothing changed: once without the permission check (as re-runs were before it existed)
// and once with it, and prints both.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FaultOptionsInput, type RunningSimulator, startSimulator } from '../simulator';
import { type DevServer, startDevServer } from '../src/temporal/devServer';
import { type IngestInput, IngestInputSchema } from '../src/pipeline/config';
import { startIngest } from '../src/client';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '2000' },
    'latency-ms': { type: 'string', default: '50' },
    'rate-limit': { type: 'string' },
    'max-in-flight': { type: 'string', default: '32' },
    spaces: { type: 'string', default: '4' },
    /** Passed to the worker (its default: the cores left beside its own two threads). */
    'partition-threads': { type: 'string' },
    /** Writes a V8 CPU profile of the worker here, for finding where its time goes. */
    'profile-dir': { type: 'string' },
    /** Each page's comments as a document of their own (what --include-comments costs). */
    'include-comments': { type: 'boolean', default: false },
    /** A Data Center site (REST v1, password sign-in) instead of Cloud. */
    'data-center': { type: 'boolean', default: false },
    /** The Data Center version the simulator plays (8.5: before the space permissions endpoint of 9.1). */
    'dc-version': { type: 'string', default: '9.2' },
    /** Spaces readable by one group and read/update restrictions on some pages (the simulator's 'restricted'). */
    restricted: { type: 'boolean', default: false },
    /** More simulator faults, as JSON (simulator/faults/options.ts), e.g. '{"serverErrorRate":0.2}'. */
    faults: { type: 'string', default: '{}' },
    /** Search sees an edit this long after it is made... */
    'search-lag-ms': { type: 'string', default: '0' },
    /** ...and this many pages are edited just before the run (what search serves of them lags)... */
    'edit-before': { type: 'string', default: '0' },
    /** ...and this many pages are added just before it (search does not know them yet). */
    'add-before': { type: 'string', default: '0' },
    /** Each page's body from its own endpoint, as before batched bodies. */
    'no-batch-bodies': { type: 'boolean', default: false },
    /** Then re-run with nothing changed, without and with the permission drift check. */
    'no-change': { type: 'boolean', default: false },
  },
});
const dataCenter = values['data-center'];
/** The ingest account's Data Center password (the simulator takes it as an override). */
const DC_PASSWORD = 'bench-password';
const pages = Number(values.pages);
const spaces = Number(values.spaces);

/**
 * Edits `edits` pages spread over the site and adds `adds` under others: for the next searchLagMs search serves the
 * edited ones as they were, and not the new ones at all. The per-space cap grows to take the new pages in.
 */
function changeBefore(sim: RunningSimulator, edits: number, adds: number): void {
  const pages = sim.site.pages.filter((p) => p.type === 'page');
  const spread = (count: number) => pages.filter((_, i) => i % Math.max(1, Math.floor(pages.length / count)) === 0);
  for (const page of spread(edits).slice(0, edits)) sim.site.editPage(page.id, { message: 'bench: edited' });
  spread(adds)
    .slice(0, adds)
    .forEach((parent, i) => sim.site.addPage({ spaceId: parent.spaceId, parentId: parent.id, title: `Added ${i}` }));
}

/** Peak resident set of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // the worker has exited
  }
}

/** CPU time a process has used so far (user + system), in seconds. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(((Number(fields[11]) + Number(fields[12])) / 100).toFixed(1)); // utime, stime in clock ticks
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const sim = await startSimulator({
    seed: 11,
    mode: dataCenter ? 'dc' : 'cloud',
    ...(dataCenter ? { credentials: { password: DC_PASSWORD }, dcVersion: values['dc-version'] } : {}),
    spaces,
    pagesPerSpace: Math.ceil(pages / spaces),
    permissions: values.restricted ? 'restricted' : 'open',
    searchLagMs: Number(values['search-lag-ms']),
    faults: {
      latencyMs: Number(values['latency-ms']),
      ...(values['rate-limit'] ? { requestsPerSecond: Number(values['rate-limit']) } : {}),
      ...(JSON.parse(values.faults) as FaultOptionsInput),
    },
  });
  changeBefore(sim, Number(values['edit-before']), Number(values['add-before']));
  const server = await startDevServer();
  const profile = values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : [];
  const threads = values['partition-threads'] ? ['--partition-threads', values['partition-threads']] : [];
  const worker = spawn(
    process.execPath,
    [...profile, path.join(__dirname, '..', 'bin', 'durable-ingest.js'), 'worker', ...threads],
    {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        CONFLUENCE_URL: sim.url,
        ...(dataCenter ? { CONFLUENCE_PASSWORD: DC_PASSWORD } : { CONFLUENCE_API_TOKEN: sim.credentials.apiToken }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, peakRssMb(worker.pid!))), 500);
  try {
    const input = IngestInputSchema.parse({
      site: {
        url: sim.url,
        cloud: !dataCenter,
        auth: dataCenter ? 'password' : 'api-token',
        username: sim.credentials.username,
        batchBodies: !values['no-batch-bodies'],
      },
      selection: { maxNumOfDocsFromEachSpace: Math.ceil(pages / spaces) + Number(values['add-before']) },
      outputDir: path.join(dir, 'out'),
      workDir: path.join(dir, 'work'),
      maxInFlight: Number(values['max-in-flight']),
      extract: { comments: values['include-comments'] },
    });
    const started = Date.now();
    const handle = await startIngest(server.client, input);
    const result = await handle.result();
    const seconds = (Date.now() - started) / 1000;
    const cpu = {
      worker: cpuSeconds(worker.pid),
      server: cpuSeconds(server.pid),
      simulator_and_bench: cpuSeconds(process.pid),
    };

    const latencies: number[] = [];
    for await (const wf of server.client.workflow.list({ query: `WorkflowType = 'confluencePageWorkflow'` })) {
      if (wf.closeTime) latencies.push(wf.closeTime.getTime() - wf.startTime.getTime());
    }
    latencies.sort((a, b) => a - b);
    let maxHistory = 0;
    for await (const run of server.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) {
      maxHistory = Math.max(maxHistory, run.historyLength);
    }
    peak = Math.max(peak, peakRssMb(worker.pid!));
    console.log(
      JSON.stringify({
        pages: result.done,
        failed: result.failed,
        seconds: Number(seconds.toFixed(1)),
        pages_per_second: Number((result.done / seconds).toFixed(1)),
        p50_page_ms: percentile(latencies, 50),
        p95_page_ms: percentile(latencies, 95),
        requests: sim.stats.total,
        requests_per_page: Number((sim.stats.total / Math.max(1, result.done)).toFixed(2)),
        // Labels (Cloud: one search per listing page) and comment versions (one search per listing page) come from CQL.
        search_requests: sim.stats.routeCount('/content/search'),
        comment_requests: sim.stats.routeCount('-comments'),
        requests_by_route: Object.fromEntries([...sim.stats.byRoute].sort((a, b) => b[1] - a[1])),
        // The run report's count of requests that read pages outside their batch, by why and what.
        reads_outside_batch: result.readsOutsideBatch ?? {},
        rate_limited_429s: sim.stats.rateLimited,
        // Answered requests only: a 429 uses none of the allowed rate.
        allowed_rate_used: values['rate-limit']
          ? Number(((sim.stats.total - sim.stats.rateLimited) / seconds / Number(values['rate-limit'])).toFixed(2))
          : undefined,
        peak_worker_rss_mb: Math.round(peak),
        max_history_events_per_run: maxHistory,
        continue_as_new: result.continuedAsNew,
        cpu_seconds: cpu,
        ...(values['no-change'] ? { no_change: await noChangeRuns(server, sim, input) } : {}),
      }),
    );
  } finally {
    clearInterval(sampler);
    worker.kill(values['profile-dir'] ? 'SIGINT' : 'SIGKILL');
    if (values['profile-dir']) await new Promise((resolve) => worker.once('exit', resolve));
    await Promise.all([server.stop(), sim.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A re-run of an unchanged site: how fast, and what the permission check costs per page. */
async function noChangeRun(server: DevServer, sim: RunningSimulator, input: IngestInput) {
  sim.stats.reset();
  const started = Date.now();
  const result = await (await startIngest(server.client, input)).result();
  const seconds = (Date.now() - started) / 1000;
  return {
    listed: result.listed,
    seconds: Number(seconds.toFixed(1)),
    pages_per_second: Number((result.listed / seconds).toFixed(1)),
    requests: sim.stats.total,
    requests_per_unchanged_page: Number((sim.stats.total / Math.max(1, result.skipped)).toFixed(3)),
    permission_changes: result.permissionsChangedCount ?? 0,
  };
}

async function noChangeRuns(server: DevServer, sim: RunningSimulator, input: IngestInput) {
  const unchecked = await noChangeRun(server, sim, { ...input, permissions: { ...input.permissions, enabled: false } });
  const checked = await noChangeRun(server, sim, input);
  return { without_check: unchecked, with_check: checked };
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
