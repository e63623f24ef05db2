// openai and azure-openai embedders against a local server speaking their protocol, and embedElements' batching.
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbedder, embedElements, embeddingFromFlags, ServiceError } from '../../src/steps/embed';
import type { Element } from '../../src/core/elements';
import {
  type LocalServer,
  type RecordedRequest,
  type Reply,
  startLocalServer,
} from '../fixtures/embedding/local-server';

const KEY = 'sk-test-9f8e7d6c5b4a';

/** A vector that identifies its text, so the test can tell which input each answer belongs to. */
function fakeVector(text: string): number[] {
  return [text.length, [...text].reduce((h, c) => (h * 31 + c.codePointAt(0)!) % 1_000_003, 7)];
}

/** Answers in reverse order: the protocol's `index` field, not the position, says which input a vector is for. */
function embeddingsReply(req: RecordedRequest): Reply {
  const { input } = JSON.parse(req.body.toString('utf8')) as { input: string[] };
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text) })).reverse();
  return {
    status: 200,
    body: { object: 'list', data, model: 'text-embedding-ada-002', usage: { prompt_tokens: 1, total_tokens: 1 } },
  };
}

function bodyOf(req: RecordedRequest): { input: string[]; model?: string } {
  return JSON.parse(req.body.toString('utf8')) as { input: string[]; model?: string };
}

function element(i: number, text: string): Element {
  return { type: 'NarrativeText', element_id: `id-${i}`, text, metadata: { filename: 'page.html' } };
}

let server: LocalServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('openai embedder', () => {
  it('posts batches of 32 to /v1/embeddings with the bearer key, and embeds only elements with text', async () => {
    server = await startLocalServer(embeddingsReply);
    const settings = embeddingFromFlags({
      embeddingProvider: 'openai',
      embeddingApiKey: KEY,
      embeddingApiBase: `${server.url}/v1`,
    })!;
    const embedder = await createEmbedder(settings.config, { apiKey: settings.apiKey });
    const elements = Array.from({ length: 75 }, (_, i) => element(i, i % 15 === 0 ? '' : `paragraph ${i} ✓`));

    const embedded = await embedElements(elements, embedder);

    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual(Array(3).fill('POST /v1/embeddings'));
    expect(server.requests.map((r) => bodyOf(r).input.length)).toEqual([32, 32, 6]);
    for (const r of server.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(bodyOf(r).model).toBe('text-embedding-ada-002');
    }
    embedded.forEach((e, i) => {
      if (elements[i].text) expect(e.embeddings).toEqual(fakeVector(elements[i].text));
      else expect(e).not.toHaveProperty('embeddings');
    });
    expect(elements.some((e) => 'embeddings' in e)).toBe(false);
  });

  it('reaches a keyless OpenAI-compatible server (Ollama, vLLM) with the given model and no auth header', async () => {
    server = await startLocalServer(embeddingsReply);
    const { config } = embeddingFromFlags({
      embeddingProvider: 'openai',
      embeddingApiBase: `${server.url}/v1/`,
      embeddingModelName: 'nomic-embed-text',
    })!;
    const embedder = await createEmbedder(config);
    await embedder.embed(['hello']);
    expect(server.requests[0].url).toBe('/v1/embeddings');
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(bodyOf(server.requests[0]).model).toBe('nomic-embed-text');
  });

  it('retries a 429 after the server-given Retry-After, then succeeds', async () => {
    server = await startLocalServer((req, n) =>
      n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } } : embeddingsReply(req),
    );
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: `${server.url}/v1` })!;
    const embedder = await createEmbedder(config, {});
    const started = Date.now();
    const [v] = await embedder.embed(['retry me']);
    expect(v).toEqual(fakeVector('retry me'));
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails at once when Retry-After asks for more than a day (a blocked key), instead of sleeping on it', async () => {
    server = await startLocalServer(() => ({
      status: 429,
      headers: { 'retry-after': '9223372036854775807' },
      body: { error: 'blocked' },
    }));
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: `${server.url}/v1` })!;
    const error = await (await createEmbedder(config, {})).embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({ retryable: false, status: 429 });
    expect((error as ServiceError).message).toMatch(
      /Retry-After 9223372036854775807, more than a day: the key or account is blocked/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('fails a 401 at once, without retrying, naming the fix and hiding the key the server echoed', async () => {
    server = await startLocalServer(() => ({
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}` } },
    }));
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: `${server.url}/v1` })!;
    const embedder = await createEmbedder(config, { apiKey: KEY });
    const error = await embedder.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).retryable).toBe(false);
    expect((error as ServiceError).message).toMatch(
      /answered 401 .*Incorrect API key provided: \*\*\*.*check --embedding-api-key/,
    );
    expect((error as ServiceError).message).not.toContain(KEY);
    expect(server.requests).toHaveLength(1);
  });

  it('abandons an attempt that gets no answer within the timeout', async () => {
    server = await startLocalServer(async (req) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return embeddingsReply(req);
    });
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: `${server.url}/v1` })!;
    const embedder = await createEmbedder(config, {}, { timeoutMs: 100, retry: { maxAttempts: 1 } });
    await expect(embedder.embed(['slow'])).rejects.toThrow(
      `OpenAI embeddings API unreachable at ${server.url}: no answer within 100 ms`,
    );
  });

  it('rejects an answer with fewer vectors than inputs', async () => {
    server = await startLocalServer(() => ({ status: 200, body: { data: [{ index: 0, embedding: [1, 2] }] } }));
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: `${server.url}/v1` })!;
    const embedder = await createEmbedder(config);
    await expect(embedder.embed(['a', 'b'])).rejects.toThrow(/returned 1 vectors for 2 inputs/);
  });
});

describe('azure-openai embedder', () => {
  it('posts to /openai/deployments/{deployment}/embeddings with api-version and the api-key header', async () => {
    server = await startLocalServer(embeddingsReply);
    const settings = embeddingFromFlags({
      embeddingProvider: 'azure-openai',
      embeddingApiKey: KEY,
      embeddingApiBase: server.url,
      embeddingModelName: 'my-ada',
      embeddingAzureApiVersion: '2024-10-21',
    })!;
    const embedder = await createEmbedder(settings.config, { apiKey: settings.apiKey });
    const vectors = await embedder.embed(['one', 'two']);
    expect(vectors).toEqual([fakeVector('one'), fakeVector('two')]);
    const [req] = server.requests;
    expect(req.url).toBe('/openai/deployments/my-ada/embeddings?api-version=2024-10-21');
    expect(req.headers['api-key']).toBe(KEY);
    expect(req.headers.authorization).toBeUndefined();
    expect(bodyOf(req).input).toEqual(['one', 'two']);
  });

  it('defaults the api-version to 2024-06-01 and the deployment to text-embedding-ada-002', () => {
    const { config } = embeddingFromFlags({
      embeddingProvider: 'azure-openai',
      embeddingApiBase: 'https://r.openai.azure.com',
    })!;
    expect(config.azureApiVersion).toBe('2024-06-01');
    expect(config.modelName).toBeUndefined();
  });
});

describe('embedding settings', () => {
  it('has no embed step without a provider', () => {
    expect(embeddingFromFlags({})).toBeUndefined();
  });

  it('explains an unknown provider, a missing Azure endpoint and a missing OpenAI key', async () => {
    expect(() => embeddingFromFlags({ embeddingProvider: 'cohere' })).toThrow(
      /unknown embedding provider "cohere": use huggingface, openai or azure-openai/,
    );
    expect(() => embeddingFromFlags({ embeddingProvider: 'azure-openai', embeddingApiKey: KEY })).toThrow(
      /azure-openai needs its endpoint: give --embedding-api-base/,
    );
    expect(() => embeddingFromFlags({ embeddingProvider: 'openai', embeddingApiBase: 'not a url' })).toThrow(
      /apiBase: must be a URL/,
    );
    const { config } = embeddingFromFlags({ embeddingProvider: 'openai' })!;
    await expect(createEmbedder(config)).rejects.toThrow(/openai embeddings need an API key: give --embedding-api-key/);
  });
});
