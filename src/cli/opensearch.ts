// The OpenSearch destination on the command line: the check before an ingest starts, and `durable-ingest opensearch
// init`, which creates the index (the destination's options: options/destination.ts).
import type { Command } from 'commander';
import { ConfigError } from '../core/configError';
import { initIndex } from '../destinations/opensearch/init';
import { OpenSearchIndex } from '../destinations/opensearch/openSearchIndex';
import type { IngestInput, Secrets } from '../pipeline/config';
import { OPENSEARCH_URL_OPTIONS } from './options/destination';
import { withOptions } from './options/spec';
import { asConfigError, checkVectorStore } from './vectorCheck';

/** Before anything starts: the cluster answers, the index exists and takes the job's vectors (one probe of the model). */
export async function checkOpenSearchDestination(
  input: IngestInput,
  opensearchUrl: string | undefined,
  secrets: Secrets,
): Promise<void> {
  if (input.destination.type !== 'opensearch' || !opensearchUrl) return;
  await checkVectorStore(new OpenSearchIndex(opensearchUrl, input.destination.index), input, secrets);
}

interface InitFlags {
  opensearchUrl?: string;
  index?: string;
  dimensions?: string;
}

async function initCommand(flags: InitFlags): Promise<number> {
  if (!flags.opensearchUrl || !/^https?:\/\//i.test(flags.opensearchUrl) || !URL.canParse(flags.opensearchUrl))
    throw new ConfigError(
      'give the cluster: --opensearch-url https://user:password@host:9200 (or DURABLE_INGEST_OPENSEARCH_URL)',
    );
  if (!flags.index) throw new ConfigError('give the index to create: --index <name>');
  const dimensions = flags.dimensions === undefined ? undefined : Number(flags.dimensions);
  if (dimensions !== undefined && !(Number.isInteger(dimensions) && dimensions >= 1 && dimensions <= 16000)) {
    throw new ConfigError(
      `--dimensions must be the embedding model's vector length (1..16000; 384 for the default huggingface model), got "${flags.dimensions}"`,
    );
  }
  const index = new OpenSearchIndex(flags.opensearchUrl, flags.index);
  const result = await asConfigError(() => initIndex(index, dimensions));
  console.log(`${result.created ? 'created' : 'found'} ${index.describe()}: embeddings ${result.embeddings}`);
  if (result.note) console.error(`note: ${result.note}`);
  return 0;
}

export function addOpenSearchCommands(
  program: Command,
  action: (run: (flags: InitFlags) => Promise<number>) => (flags: InitFlags) => Promise<void>,
): void {
  const opensearch = program.command('opensearch').description('the OpenSearch destination');
  withOptions(opensearch.command('init'), OPENSEARCH_URL_OPTIONS)
    .description('create the index (embeddings a knn_vector where the k-NN plugin exists, else kept in _source)')
    .option('--index <name>', 'the index')
    .option('--dimensions <n>', "the embedding model's vector length (384 for the default huggingface model)")
    .action(action(initCommand));
}
