// A key sent to a service stays with that service's origin, whatever its redirects say.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbedder, embeddingFromFlags } from '../../../src/steps/embed';
import { partitionViaApi } from '../../../src/steps/partition/api';
import { type LocalServer, startLocalServer } from '../../fixtures/embedding/local-server';

const KEY = 'sk-hostile-0123456789';
const servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that takes whatever it is sent, and one that sends every request there with a 307. */
async function redirectToElsewhere(): Promise<{ elsewhere: LocalServer; service: LocalServer }> {
  const elsewhere = await startLocalServer(() => ({ status: 200, body: [] }));
  const service = await startLocalServer((req) => ({
    status: 307,
    body: {},
    headers: { location: `${elsewhere.url}${req.url}` },
  }));
  servers.push(elsewhere, service);
  return { elsewhere, service };
}

const file = (() => {
  const path = join(mkdtempSync(join(tmpdir(), 'redirects-')), 'page.html');
  writeFileSync(path, '<p>Hello</p>');
  return { path, filename: 'page.html', contentType: 'text/html' };
})();

describe('a service that redirects to another origin', () => {
  it('the Unstructured API key is not sent there: the hop is refused, not retried', async () => {
    const { elsewhere, service } = await redirectToElsewhere();
    const call = partitionViaApi(file, { apiKey: KEY, endpoint: `${service.url}/general/v0/general` });
    await expect(call).rejects.toThrow(
      `Unstructured API at ${service.url} redirected (307) to ${elsewhere.url}/general/v0/general, another origin, which must not receive the key; give the final address as the endpoint`,
    );
    expect(elsewhere.requests).toHaveLength(0);
    expect(service.requests).toHaveLength(1);
  });

  it("Azure OpenAI's api-key header is not sent there", async () => {
    const { elsewhere, service } = await redirectToElsewhere();
    const settings = embeddingFromFlags({
      embeddingProvider: 'azure-openai',
      embeddingApiKey: KEY,
      embeddingApiBase: service.url,
      embeddingModelName: 'ada',
    })!;
    const embedder = await createEmbedder(settings.config, { apiKey: settings.apiKey });
    await expect(embedder.embed(['one'])).rejects.toThrow(/redirected \(307\) to .*another origin, which must not/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a 307 within the origin is followed, key and body kept', async () => {
    const server = await startLocalServer((req) =>
      req.url === '/old' ? { status: 307, body: {}, headers: { location: '/new' } } : { status: 200, body: [] },
    );
    servers.push(server);
    await partitionViaApi(file, { apiKey: KEY, endpoint: `${server.url}/old` });
    expect(server.requests.map((r) => [r.url, r.headers['unstructured-api-key'], r.body.length > 0])).toEqual([
      ['/old', KEY, true],
      ['/new', KEY, true],
    ]);
  });
});
