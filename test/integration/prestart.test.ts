// The CLI's entry starts the embedded server before it loads its code (prestart.ts); the command adopts it, or stops it
// when it asks for another, and no command that needs none gets one.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPORAL_OPTIONS } from '../../src/cli/options/temporal';
import { installedTemporalCli } from '../../src/temporal/binary';
import { startDevServer } from '../../src/temporal/devServer';
import { EMBEDDED_SERVER_OPTIONS, prestartEmbeddedServer } from '../../src/temporal/prestart';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/searchAttributes';
import { until } from '../support/until';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('prestarted embedded server', () => {
  it('is adopted by the start that asks for the embedded options, and killed at its stop', async () => {
    const early = prestartEmbeddedServer(['--verbose', 'confluence', '--url', 'https://x.example'], {});
    const server = await startDevServer({ ...EMBEDDED_SERVER_OPTIONS, uiPort: undefined });
    const pid = server.pid!;
    expect(server.address).toBe(await early!.address);
    // Taken once: the next start spawns its own.
    const next = await startDevServer(EMBEDDED_SERVER_OPTIONS);
    expect(next.address).not.toBe(server.address);
    await Promise.all([server.stop(), next.stop()]);
    expect(alive(pid)).toBe(false);
  });

  it('is stopped when the start asks for other options', async () => {
    const early = prestartEmbeddedServer(['demo'], {})!;
    const server = await startDevServer({ searchAttributes: [] });
    try {
      expect(server.address).not.toBe(await early.address);
      await until(
        () => early.child.exitCode !== null || early.child.signalCode !== null,
        'the unadopted server to exit',
      );
    } finally {
      await server.stop();
    }
  });

  it('leaves no server behind when the command exits before the server has started', async () => {
    const marker = `DurableIngestTest${randomBytes(4).toString('hex')}=Keyword`;
    const spawner = path.resolve(__dirname, '../../src/temporal/devServerProcess.ts');
    const script = `require('tsx/cjs'); require(${JSON.stringify(spawner)}).spawnServer(${JSON.stringify(
      installedTemporalCli(),
    )}, { searchAttributes: [${JSON.stringify(marker)}] }); process.exit(0);`;
    execFileSync(process.execPath, ['-e', script]);
    const running = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(marker);
    await until(() => !running(), 'the server of an exited command to stop', { timeoutMs: 15_000 });
    // Not a server that stops late: one that stays stopped.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(running()).toBe(false);
  });

  it('registers every search attribute an ingest sets', () => {
    const asArgs = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' } as Record<string, string>;
    const needed = Object.values(SEARCH_ATTRIBUTES).map(({ name, type }) => `${name}=${asArgs[type]}`);
    expect(EMBEDDED_SERVER_OPTIONS.searchAttributes).toEqual(needed);
  });

  // The cluster's address as its option declares it: the early start must not drift from the flag and its variable.
  const [addressFlag] = TEMPORAL_OPTIONS.temporalAddress.flags.split(' ');
  const addressEnv = TEMPORAL_OPTIONS.temporalAddress.env;
  it.each([
    [['worker'], {}],
    [['status', 'confluence-ingest-x'], {}],
    [['confluence', '--help'], {}],
    [['confluence', addressFlag!, 'temporal:7233'], {}],
    [['confluence', `${addressFlag}=temporal:7233`], {}],
    [['confluence'], { [addressEnv]: 'temporal:7233' }],
  ])('is not started for %j %j', (argv, env) => {
    expect(prestartEmbeddedServer(argv, env)).toBeUndefined();
  });
});
