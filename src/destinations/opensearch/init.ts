// `durable-ingest opensearch init`: creates the index (mapping.ts). With --dimensions and the k-NN plugin on the
// cluster, vectors are a knn_vector (HNSW, cosine); without the plugin they stay in _source only, and the note says
// so. An index that exists already is left as it is.
import type { OpenSearchIndex } from './openSearchIndex';

export interface IndexInitResult {
  created: boolean;
  /** How the index holds vectors. */
  embeddings: string;
  note?: string;
}

export async function initIndex(index: OpenSearchIndex, dimensions?: number): Promise<IndexInitResult> {
  const knn = dimensions !== undefined && (await index.hasKnn());
  const created = await index.create(knn ? dimensions : undefined);
  if (!created) {
    const layout = await index.inspect();
    const embeddings = layout.knnDimensions ? `knn_vector(${layout.knnDimensions})` : 'in _source only';
    return { created, embeddings, note: `${index.describe()} exists already; it was left as it is` };
  }
  if (knn) return { created, embeddings: `knn_vector(${dimensions}, hnsw cosine)` };
  const note =
    dimensions === undefined
      ? 'no --dimensions given: vectors are kept in _source only (no k-NN search)'
      : 'the cluster has no k-NN plugin: vectors are kept in _source only, without k-NN search; install opensearch-knn and create the index again for vector search';
  return { created, embeddings: 'in _source only', note };
}
