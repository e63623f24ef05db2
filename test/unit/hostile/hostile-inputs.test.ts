// A hostile or broken server, through the real client: each case ends quickly with one line naming the problem.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '../../../simulator';
import { createConfluenceClient, resolveAuth } from '../../../src/connectors/confluence/client';
import { closeConfluencePools } from '../../../src/connectors/confluence/client/pool';

const sims: RunningSimulator[] = [];
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(sims.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await closeConfluencePools();
});

async function simulator(mode: 'cloud' | 'dc', faults = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({ mode, seed: 5, spaces: 3, pagesPerSpace: 3, faults });
  sims.push(sim);
  return sim;
}

function clientOf(sim: RunningSimulator, maxAnswerBytes?: number) {
  const user = sim.site.users[0];
  const auth =
    sim.mode === 'cloud'
      ? resolveAuth({ url: sim.url, cloud: true, username: user.email, apiToken: user.apiToken })
      : resolveAuth({ url: sim.url, username: user.username, password: user.password });
  return createConfluenceClient(auth.site, auth.secrets, { maxAnswerBytes, retry: { attempts: 1 } });
}

/** A server answering every request with `answer`; the requests it saw. */
async function tinyServer(
  answer: (url: string) => { status: number; headers?: Record<string, string>; body?: unknown },
) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ? 'with' : 'without'} credentials`);
    const { status, headers, body } = answer(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

async function allSpaces(client: ReturnType<typeof clientOf>): Promise<number> {
  let cursor: string | undefined;
  let requests = 0;
  do {
    cursor = (await client.listSpaces({ cursor, limit: 1 })).next;
    requests++;
  } while (cursor && requests < 100);
  return requests;
}

describe('hostile inputs through the real client', () => {
  it('a Cloud cursor answered with itself stops paging at once', async () => {
    const sim = await simulator('cloud', { repeatCursor: true });
    await expect(allSpaces(clientOf(sim))).rejects.toThrow(
      /\/wiki\/api\/v2\/spaces answered cursor \S+ with the same cursor as its next page; paging stopped/,
    );
  });

  it('a Data Center offset answered with the first page stops paging at once', async () => {
    const sim = await simulator('dc', { repeatCursor: true });
    await expect(allSpaces(clientOf(sim))).rejects.toThrow(
      `${sim.url}/rest/api/space answered start=1 with the page at start=0; paging stopped, the server or a proxy in front of it ignores start`,
    );
  });

  it('a space lookup (the preflight) ends on a repeated cursor instead of looping', async () => {
    const sim = await simulator('dc', { repeatCursor: true });
    const started = Date.now();
    const keys = sim.site.spaces.map((s) => s.key);
    await expect(clientOf(sim).resolveSpaces(keys)).rejects.toThrow(/answered start=\d+ with the page at start=0/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('an answer over the byte cap is refused, naming the URL and the cap', async () => {
    const sim = await simulator('dc');
    await expect(clientOf(sim, 200).listSpaces({ limit: 3 })).rejects.toThrow(
      `${sim.url}/rest/api/space answered more than 200 bytes, over the cap; stopped reading`,
    );
  });

  it('a space key with ".." from the server is refused at the schema', async () => {
    const server = await tinyServer(() => ({
      status: 200,
      body: { results: [{ id: '1', key: '../../../../escaped', name: 'x' }], _links: {} },
    }));
    const auth = resolveAuth({ url: server.url, username: 'u', password: 'p' });
    await expect(createConfluenceClient(auth.site, auth.secrets).listSpaces({ limit: 1 })).rejects.toThrow(
      'field results.0.key: not a Confluence space key (letters and digits, or ~ and a user name)',
    );
  });

  it('a redirect to another origin does not take the credentials along', async () => {
    const elsewhere = await tinyServer(() => ({ status: 200, body: { results: [], _links: {} } }));
    const site = await tinyServer((url) => ({ status: 307, headers: { location: `${elsewhere.url}${url}` } }));
    const auth = resolveAuth({ url: site.url, username: 'u', password: 'p' });
    await expect(createConfluenceClient(auth.site, auth.secrets).listSpaces({ limit: 1 })).rejects.toThrow(
      /redirected \(307\) to http:\/\/127\.0\.0\.1:\d+\/rest\/api\/space; pass the final address as --url/,
    );
    expect(elsewhere.seen).toEqual([]);
  });
});
