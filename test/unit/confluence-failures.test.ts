// ConfluenceError -> Temporal ApplicationFailure inside a real activity context (MockActivityEnvironment).
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeConfluencePools,
  ConfluenceError,
  createConfluenceClient,
  resolveAuth,
  toActivityFailure,
} from '../../src/connectors/confluence/client';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { clientCache } from '../../src/pipeline/activities/deps';
import { until } from '../support/until';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, spaces: 1, pagesPerSpace: 5 });
});

afterAll(async () => {
  await closeConfluencePools();
  await sim?.close();
});

/** An activity the way src/activities writes them: client errors leave as ApplicationFailures. */
async function runActivity(fn: () => Promise<unknown>): Promise<unknown> {
  const env = new MockActivityEnvironment();
  return env
    .run(async () => {
      try {
        return await fn();
      } catch (err) {
        throw toActivityFailure(err);
      }
    })
    .catch((e: unknown) => e);
}

describe('toActivityFailure', () => {
  it('makes a rate limit retryable with nextRetryDelay from Retry-After', async () => {
    const failure = await runActivity(async () => {
      throw new ConfluenceError('rate-limit', 'site rate-limited user u; retry after 90 s', {
        status: 429,
        retryAfterMs: 90_000,
      });
    });
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const f = failure as ApplicationFailure;
    expect([f.type, f.nonRetryable, f.nextRetryDelay]).toEqual(['ConfluenceRateLimit', false, 90_000]);
  });

  it('retries 5xx and network failures with the policy backoff (no fixed delay)', async () => {
    for (const kind of ['server', 'network'] as const) {
      const f = (await runActivity(async () => {
        throw new ConfluenceError(kind, `${kind} trouble`, { status: kind === 'server' ? 502 : undefined });
      })) as ApplicationFailure;
      expect([f.nonRetryable, f.nextRetryDelay]).toEqual([false, undefined]);
    }
  });

  it('makes what a user must fix non-retryable and keeps the fix in the message', async () => {
    for (const kind of ['auth', 'forbidden', 'not-found', 'bad-request', 'shape'] as const) {
      const f = (await runActivity(async () => {
        throw new ConfluenceError(kind, `problem; check --${kind}`);
      })) as ApplicationFailure;
      expect(f.nonRetryable).toBe(true);
      expect(f.message).toBe(`problem; check --${kind}`);
    }
  });

  it('does not retry a user blocked by an absurd Retry-After', async () => {
    const f = (await runActivity(async () => {
      throw new ConfluenceError('rate-limit', 'blocked', { status: 429, retryable: false });
    })) as ApplicationFailure;
    expect([f.nonRetryable, f.nextRetryDelay]).toEqual([true, undefined]);
  });

  it('turns a real 401 from the simulator into a non-retryable ConfluenceAuth failure', async () => {
    const { site, secrets } = resolveAuth({
      url: sim.url,
      cloud: true,
      username: sim.credentials.username,
      apiToken: 'not-the-token',
    });
    const f = (await runActivity(() =>
      createConfluenceClient(site, secrets).listSpaces({ limit: 10 }),
    )) as ApplicationFailure;
    expect([f.type, f.nonRetryable]).toEqual(['ConfluenceAuth', true]);
    expect(f.message).toMatch(/check --username .* and --api-token/);
    expect(f.message).not.toContain('not-the-token');
  });
});

describe('cancellation', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Accepts connections and never answers: a request can only end by cancellation.
    silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("surfaces the activity's cancellation, not a network error", async () => {
    const { port } = silent.address() as AddressInfo;
    const { site, secrets } = resolveAuth({
      url: `http://127.0.0.1:${port}`,
      cloud: true,
      username: 'u@x',
      apiToken: 't',
    });
    const env = new MockActivityEnvironment();
    const started = Date.now();
    const before = sockets.size;
    const run = env.run(async () => {
      const client = createConfluenceClient(site, secrets, { signal: Context.current().cancellationSignal });
      try {
        return await client.listSpaces({ limit: 1 });
      } catch (err) {
        throw toActivityFailure(err);
      }
    });
    await until(() => sockets.size > before, 'the request to reach the silent server');
    env.cancel();
    const err = await run.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("cancels only the calling activity's request on the worker's shared client", async () => {
    const { port } = silent.address() as AddressInfo;
    const { site, secrets } = resolveAuth({
      url: `http://127.0.0.1:${port}`,
      cloud: true,
      username: 'u@x',
      apiToken: 't',
    });
    const shared = clientCache({ secretsFor: () => secrets });
    const call = () =>
      shared(site)
        .listSpaces({ limit: 1 })
        .catch((e: unknown) => {
          throw toActivityFailure(e);
        });
    const cancelled = new MockActivityEnvironment();
    const other = new MockActivityEnvironment();
    const started = Date.now();
    const before = sockets.size;
    const first = cancelled.run(call).catch((e: unknown) => e);
    const second = other.run(call).then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => sockets.size >= before + 2, 'both requests to reach the silent server');
    cancelled.cancel();
    expect(await first).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The other activity's request is still waiting on the silent server, not cancelled with it.
    expect(await Promise.race([second, new Promise((r) => setTimeout(() => r('still waiting'), 500))])).toBe(
      'still waiting',
    );
    other.cancel();
    await second;
  });
});

describe('a revoked token', () => {
  it('after the first 401, the same client fails its next requests with it, without sending them', async () => {
    const revoked = await startSimulator({ seed: 4, spaces: 1, pagesPerSpace: 5, faults: { revokeAfterRequests: 1 } });
    try {
      const { site, secrets } = resolveAuth({
        url: revoked.url,
        cloud: true,
        username: revoked.credentials.username,
        apiToken: revoked.credentials.apiToken,
      });
      const client = createConfluenceClient(site, secrets);
      await client.listSpaces({ limit: 1 });
      const [page] = revoked.site.pages;
      const first = await client.getPage(page.id, 'page').catch((e: unknown) => e);
      expect(first).toBeInstanceOf(ConfluenceError);
      expect((first as ConfluenceError).kind).toBe('auth');
      const sent = revoked.stats.total;
      const again = await Promise.all(
        revoked.site.pages.map((p) => client.getPage(p.id, 'page').catch((e: unknown) => e)),
      );
      expect(again.every((e) => e === first)).toBe(true);
      expect(revoked.stats.total).toBe(sent);
      expect(revoked.faultCounters.revoked401).toBe(1);
    } finally {
      await revoked.close();
    }
  });
});
