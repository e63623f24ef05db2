// --max-concurrency: a worker keeps at most that many requests in flight to a site (default 8).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { jobFromFlags } from '../../src/cli/flags';
import { closeConfluencePools, createConfluenceClient, resolveAuth } from '../../src/connectors/confluence/client';

const servers: Server[] = [];
afterAll(async () => {
  await closeConfluencePools();
  for (const server of servers) server.close();
});

/** A site whose every answer (an empty v2 list) takes 50 ms; it counts requests in flight. */
async function slowSite(): Promise<{ url: string; most: () => number }> {
  let now = 0;
  let most = 0;
  const server = createServer((_req, res) => {
    most = Math.max(most, ++now);
    setTimeout(() => {
      now--;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results: [], _links: {} }));
    }, 50);
  }).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, most: () => most };
}

async function mostInFlight(maxConcurrency: number | undefined): Promise<number> {
  const site = await slowSite();
  const auth = resolveAuth({ url: site.url, cloud: true, username: 'u@example.com', apiToken: 't' });
  const client = createConfluenceClient({ ...auth.site, maxConcurrency }, auth.secrets);
  await Promise.all(Array.from({ length: 30 }, () => client.listSpaces({ limit: 1 })));
  return site.most();
}

it('keeps to --max-concurrency, and to 8 without it', async () => {
  expect(await mostInFlight(3)).toBe(3);
  expect(await mostInFlight(20)).toBe(20);
  expect(await mostInFlight(undefined)).toBe(8);
});

it('takes --max-concurrency from the flags into the job, and refuses 0 in one line', () => {
  const flags = {
    url: 'https://x.atlassian.net',
    cloud: true,
    username: 'u@example.com',
    apiToken: 't',
    outputDir: 'out',
    workDir: 'work',
  };
  expect(
    jobFromFlags({ ...flags, maxConcurrency: '16' }, { workersHoldSecrets: false }).input.site.maxConcurrency,
  ).toBe(16);
  expect(() => jobFromFlags({ ...flags, maxConcurrency: '0' }, { workersHoldSecrets: false })).toThrow(
    /^invalid settings: site\.maxConcurrency: /,
  );
});
