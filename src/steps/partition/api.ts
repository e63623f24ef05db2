// Partition by API: a document goes as multipart to Unstructured's legacy /general/v0/general endpoint, with the form
// fields its Python client sends, and the elements come back as JSON. The API key travels in a header only; it is
// resolved by the worker and never put in configs that reach workflow history, nor in any error.
import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FormData } from 'undici';
import { z } from 'zod';
import { ConfigError } from '../../core/configError';
import { PartitionApiConfigSchema, type PartitionApiConfig } from './apiConfig';
import { fetchJsonWithRetry, type RetryPolicy, ServiceError } from '../../core/httpRetry';
import type { Element, ElementMetadata } from '../../core/elements';

const LEGACY_PATH = '/general/v0/general';

/** What the Python client sends when unstructured-ingest leaves a field at its default. */
const CLIENT_FIELDS: Readonly<Record<string, unknown>> = {
  output_format: 'application/json',
  coordinates: false,
  unique_element_ids: false,
  split_pdf_page: true,
};

export interface PartitionFile {
  path: string;
  /** The name the API (and element metadata) will see. */
  filename: string;
  contentType: string;
}

export interface PartitionViaApiOptions extends Partial<PartitionApiConfig> {
  apiKey: string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt; hi_res on a long PDF takes minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const ApiElementSchema = z.looseObject({
  type: z.string().min(1),
  element_id: z.string().min(1),
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

export async function partitionViaApi(file: PartitionFile, opts: PartitionViaApiOptions): Promise<Element[]> {
  const config = PartitionApiConfigSchema.parse({
    endpoint: opts.endpoint,
    strategy: opts.strategy,
    languages: opts.languages,
    additionalArgs: opts.additionalArgs,
  });
  const blob = await readFile(file);
  const fields = { strategy: config.strategy, languages: config.languages, ...CLIENT_FIELDS, ...config.additionalArgs };
  const body = await fetchJsonWithRetry({
    service: 'Unstructured API',
    url: legacyUrl(config.endpoint),
    init: () => ({
      method: 'POST',
      headers: { accept: 'application/json', 'unstructured-api-key': opts.apiKey },
      body: multipart(blob, file.filename, fields),
    }),
    secrets: [opts.apiKey],
    hint: (status) => hintFor(status, file.filename),
    retry: opts.retry,
    timeoutMs: opts.timeoutMs ?? 600_000,
    signal: opts.signal,
  });
  return toElements(body, file.filename);
}

/** A bare server URL gets the legacy path, as the Python client does; any other path is used as given. */
function legacyUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === '/' || url.pathname === '') url.pathname = LEGACY_PATH;
  return url.toString();
}

async function readFile(file: PartitionFile): Promise<Blob> {
  const problem = await stat(file.path).then(
    (info) => (info.isFile() ? undefined : 'not a regular file'),
    (err: NodeJS.ErrnoException) => err.code ?? err.message,
  );
  if (problem) throw new ConfigError(`cannot read ${file.path} to send it for partitioning: ${problem}`);
  return openAsBlob(file.path, { type: file.contentType });
}

function multipart(blob: Blob, filename: string, fields: Record<string, unknown>): FormData {
  const form = new FormData();
  form.append('files', blob, filename);
  for (const [name, value] of Object.entries(fields)) appendField(form, name, value);
  return form;
}

/** Lists go as repeated `name[]` parts, booleans as true/false, objects as JSON, as the Python client encodes them. */
function appendField(form: FormData, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    const listName = name.endsWith('[]') ? name : `${name}[]`;
    for (const item of value) form.append(listName, scalar(item));
    return;
  }
  form.append(name, scalar(value));
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function hintFor(status: number, filename: string): string {
  if (status === 401 || status === 403)
    return 'check --api-key (UNSTRUCTURED_API_KEY) and that it is valid for this endpoint';
  if (status === 404 || status === 405) return `check --partition-endpoint: the legacy API path ends in ${LEGACY_PATH}`;
  if (status === 413) return `${filename} is larger than the API accepts; exclude it or partition locally`;
  return `check --additional-partition-args and that the API can partition ${filename}`;
}

function toElements(body: unknown, filename: string): Element[] {
  const parsed = z.array(ApiElementSchema).safeParse(body);
  if (!parsed.success) {
    const [first] = parsed.error.issues;
    const where = first.path.length ? `at [${first.path.join('.')}]` : 'at the top';
    throw new ServiceError(
      `Unstructured API answered for ${filename} with JSON that is not a list of elements (${where}: ${first.message}); check --partition-endpoint`,
      {
        retryable: false,
      },
    );
  }
  return parsed.data.map((e) => ({ ...e, metadata: e.metadata as ElementMetadata }));
}
