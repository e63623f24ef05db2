// The index's mapping: what a retrieval layer filters and searches on is mapped (the text, the keys of a document and
// an element, who may read, a few metadata fields), the rest of the element stays in _source as the JSON output has
// it (`dynamic: false`: no field of a new element can fail a write by clashing with a mapping guessed earlier).
// Vectors are a `knn_vector` (HNSW, cosine) where the cluster has the k-NN plugin.

const KEYWORD = { type: 'keyword' } as const;
const WHO = { properties: { users: KEYWORD, groups: KEYWORD } } as const;

/** permissions_data is a list of {read: {users, groups}}, {update: ...}, {delete: ...}: each path one keyword array. */
const PERMISSIONS = { properties: { read: WHO, update: WHO, delete: WHO } } as const;

export interface IndexDesign {
  /** A knn_vector of this length; absent: vectors are kept in _source only. */
  knnDimensions?: number;
}

export function indexBody({ knnDimensions }: IndexDesign): Record<string, unknown> {
  return {
    settings: knnDimensions ? { index: { knn: true } } : {},
    mappings: {
      dynamic: false,
      properties: {
        record_id: KEYWORD,
        element_id: KEYWORD,
        type: KEYWORD,
        text: { type: 'text' },
        permissions_data: PERMISSIONS,
        metadata: {
          properties: {
            filename: KEYWORD,
            filetype: KEYWORD,
            languages: KEYWORD,
            parent_id: KEYWORD,
            data_source: { properties: { url: KEYWORD, version: KEYWORD } },
          },
        },
        ...(knnDimensions
          ? {
              embeddings: {
                type: 'knn_vector',
                dimension: knnDimensions,
                method: { name: 'hnsw', space_type: 'cosinesimil', engine: 'lucene' },
              },
            }
          : {}),
      },
    },
  };
}

/** What an existing index's mapping says about the fields the destination relies on. */
export interface IndexLayout {
  recordIdIsKeyword: boolean;
  /** The knn_vector's length; absent: the index maps no vectors. */
  knnDimensions?: number;
}

interface FieldMapping {
  type?: string;
  dimension?: number;
}

export function layoutOf(mappings: { properties?: Record<string, FieldMapping> } | undefined): IndexLayout {
  const properties = mappings?.properties ?? {};
  const embeddings = properties.embeddings;
  return {
    recordIdIsKeyword: properties.record_id?.type === 'keyword',
    knnDimensions: embeddings?.type === 'knn_vector' ? embeddings.dimension : undefined,
  };
}
