// The CLI's entry starts the embedded server before it loads its code (prestart.ts); the command adopts it, or stops it
// when it asks for another, and no command that needs none gets one.
import { describe, expect, it } from 'vitest';
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

  it('registers every search attribute an ingest sets', () => {
    const asArgs = { KEYWORD: 'Keyword', KEYWORD_LIST: 'KeywordList', INT: 'Int' } as Record<string, string>;
    const needed = Object.values(SEARCH_ATTRIBUTES).map(({ name, type }) => `${name}=${asArgs[type]}`);
    expect(EMBEDDED_SERVER_OPTIONS.searchAttributes).toEqual(needed);
  });

  it.each([
    [['worker'], {}],
    [['status', 'confluence-ingest-x'], {}],
    [['confluence', '--help'], {}],
    [['confluence', '--temporal-address', 'temporal:7233'], {}],
    [['confluence', '--temporal-address=temporal:7233'], {}],
    [['confluence'], { TEMPORAL_ADDRESS: 'temporal:7233' }],
  ])('is not started for %j %j', (argv, env) => {
    expect(prestartEmbeddedServer(argv, env)).toBeUndefined();
  });
});
