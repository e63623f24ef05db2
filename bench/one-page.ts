// `npm run bench:one-page [-- --runs N]`: the end-to-end time of the smallest job a user runs: `durable-ingest
// confluence --spaces KEY` on a space of one page, with the embedded Temporal (the CLI as a user starts it, in a
// process of its own). Prints one JSON line: the median and each run's total seconds, and when the site saw its first
// request (how long the start took).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator } from '../simulator';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });

async function oneRun(): Promise<{ seconds: number; first_request_s: number; exit: number | null }> {
  const sim = await startSimulator({ seed: 5, spaces: 1, pagesPerSpace: 1 });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'one-page-'));
  const [space] = sim.site.spaces;
  const args = ['confluence', '--url', sim.url, '--username', sim.credentials.username, '--cloud'];
  args.push('--spaces', space!.key, '--output-dir', path.join(dir, 'out'), '--work-dir', path.join(dir, 'work'));
  const started = Date.now();
  try {
    const cli = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'durable-ingest.js'), ...args], {
      env: { ...process.env, CONFLUENCE_API_TOKEN: sim.credentials.apiToken },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const exit = await new Promise<number | null>((resolve) => cli.once('exit', resolve));
    const first = sim.stats.timeline[0]?.at ?? Number.NaN;
    return { seconds: (Date.now() - started) / 1000, first_request_s: (first - started) / 1000, exit };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = [];
  for (let i = 0; i < Number(values.runs); i++) runs.push(await oneRun());
  const failed = runs.filter((r) => r.exit !== 0);
  if (failed.length) throw new Error(`${failed.length} of ${runs.length} runs exited non-zero (${failed[0]!.exit})`);
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    JSON.stringify({
      runs: runs.length,
      median_seconds: Number(median(runs.map((r) => r.seconds)).toFixed(2)),
      median_first_request_seconds: Number(median(runs.map((r) => r.first_request_s)).toFixed(2)),
      seconds: runs.map((r) => Number(r.seconds.toFixed(2))),
    }),
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
