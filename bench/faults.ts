// `node bin/run-ts.js bench/faults.ts [--pages 288] [--scenario revoked|outage|disk-full]...`
// The operator's trials of issue 17, measured: `durable-ingest confluence` (embedded Temporal) against a simulated
// Cloud site whose token is revoked after 20 requests, that goes down for 45 s, or whose output disk (a 1 MiB tmpfs,
// when this machine may mount one) fills up. Prints one JSON line per scenario: exit code, seconds, the last stderr
// line, the simulator's fault counters, and how many SDK panics or core errors the terminal showed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type FaultOptionsInput, type RunningSimulator, startSimulator } from '../simulator';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '288' },
    scenario: { type: 'string', multiple: true, default: ['revoked', 'outage', 'disk-full'] },
  },
});
const pages = Number(values.pages);
const BIN = path.resolve(__dirname, '..', 'bin', 'durable-ingest.js');

interface Scenario {
  faults: FaultOptionsInput;
  /** Where the output goes (a small disk for disk-full); undefined: the scenario cannot run here. */
  outputDir(dir: string): string | undefined;
}

const SCENARIOS: Record<string, Scenario> = {
  revoked: { faults: { revokeAfterRequests: 20 }, outputDir: (dir) => path.join(dir, 'out') },
  outage: { faults: { outage: { afterRequests: 20, seconds: 45 } }, outputDir: (dir) => path.join(dir, 'out') },
  'disk-full': { faults: {}, outputDir: smallDisk },
};

function smallDisk(dir: string): string | undefined {
  const mount = path.join(dir, 'small');
  try {
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mount], { stdio: 'pipe' });
    return path.join(mount, 'out');
  } catch {
    return undefined;
  }
}

function run(
  sim: RunningSimulator,
  outputDir: string,
  workDir: string,
): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'confluence', '--cloud', '--output-dir', outputDir, '--work-dir', workDir],
      {
        env: {
          ...process.env,
          CONFLUENCE_URL: sim.url,
          CONFLUENCE_USERNAME: sim.credentials.username,
          CONFLUENCE_API_TOKEN: sim.credentials.apiToken,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

async function measure(name: string): Promise<Record<string, unknown>> {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}: give one of ${Object.keys(SCENARIOS).join(', ')}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), `bench-faults-${name}-`));
  const outputDir = scenario.outputDir(dir);
  if (!outputDir) return { scenario: name, skipped: 'cannot mount a tmpfs here (needs root)' };
  const sim = await startSimulator({
    seed: 17,
    spaces: 3,
    pagesPerSpace: Math.ceil(pages / 3),
    faults: scenario.faults,
  });
  try {
    const { code, stderr, seconds } = await run(sim, outputDir, path.join(dir, 'work'));
    const lines = stderr.split('\n').filter((l) => l.trim());
    return {
      scenario: name,
      pages: sim.site.pages.length,
      exitCode: code,
      seconds,
      lastLine: lines.at(-1),
      stderrLines: lines.length,
      panicsOrCoreErrors: lines.filter((l) => /panicked|Trying to send a new WFT|SendError|\[ERROR\]/.test(l)).length,
      requests: sim.stats.total,
      revoked401: sim.faultCounters.revoked401,
      outage503: sim.faultCounters.outage503,
      cpus: os.cpus().length,
      loadavg1m: os.loadavg()[0],
    };
  } finally {
    await sim.close();
    if (name === 'disk-full') execFileSync('umount', [path.dirname(outputDir)]);
  }
}

async function main(): Promise<void> {
  for (const name of values.scenario) console.log(JSON.stringify(await measure(name)));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
