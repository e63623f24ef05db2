// The elements table: unstructured-ingest's postgres destination layout (its element columns, names and types, so a
// table either tool made serves the other), with `permissions_data` as JSONB (queryable: who may read an element)
// and `metadata`, the element's whole metadata as the JSON output has it. `embeddings` is a pgvector `vector(n)`
// where the extension exists, else `real[]`.

/** Column name and type, in table order; `embeddings` is added by embeddingsType(). */
const COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['id', 'UUID PRIMARY KEY'],
  ['record_id', 'VARCHAR NOT NULL'],
  ['element_id', 'VARCHAR'],
  ['text', 'TEXT'],
  ['embeddings', ''],
  ['type', 'VARCHAR'],
  ['system', 'VARCHAR'],
  ['layout_width', 'DECIMAL'],
  ['layout_height', 'DECIMAL'],
  ['points', 'TEXT'],
  ['url', 'TEXT'],
  ['version', 'VARCHAR'],
  ['date_created', 'TIMESTAMPTZ'],
  ['date_modified', 'TIMESTAMPTZ'],
  ['date_processed', 'TIMESTAMPTZ'],
  ['permissions_data', 'JSONB'],
  ['record_locator', 'TEXT'],
  ['category_depth', 'INTEGER'],
  ['parent_id', 'VARCHAR'],
  ['attached_filename', 'VARCHAR'],
  ['filetype', 'VARCHAR'],
  ['last_modified', 'TIMESTAMPTZ'],
  ['file_directory', 'VARCHAR'],
  ['filename', 'VARCHAR'],
  ['languages', 'VARCHAR[]'],
  ['page_number', 'VARCHAR'],
  ['links', 'TEXT'],
  ['page_name', 'VARCHAR'],
  ['link_urls', 'VARCHAR[]'],
  ['link_texts', 'VARCHAR[]'],
  ['sent_from', 'VARCHAR[]'],
  ['sent_to', 'VARCHAR[]'],
  ['subject', 'VARCHAR'],
  ['section', 'VARCHAR'],
  ['header_footer_type', 'VARCHAR'],
  ['emphasized_text_contents', 'VARCHAR[]'],
  ['emphasized_text_tags', 'VARCHAR[]'],
  ['text_as_html', 'TEXT'],
  ['regex_metadata', 'TEXT'],
  ['detection_class_prob', 'DECIMAL'],
  ['is_continuation', 'BOOLEAN'],
  ['orig_elements', 'TEXT'],
  ['partitioner_type', 'VARCHAR'],
  ['metadata', 'JSONB'],
];

/** Columns every write needs: the row key, the document key (a page's rows are replaced by it) and the element. */
export const REQUIRED_COLUMNS = ['id', 'record_id', 'element_id', 'text'] as const;

/** How a table stores embeddings, as its `embeddings` column says. */
export type EmbeddingsColumn = { kind: 'vector'; dimensions?: number } | { kind: 'array' } | { kind: 'text' };

export interface TableLayout {
  /** The quoted, possibly schema-qualified name. */
  table: string;
  columns: Set<string>;
  /** Absent: the table has no embeddings column. */
  embeddings?: EmbeddingsColumn;
  /** Its type as PostgreSQL names it: vector(384), real[]... */
  embeddingsType?: string;
}

/** "rag.elements" -> "rag"."elements": every identifier quoted, so names are never read as SQL. */
export function quoteTable(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

/** The table's own name, unquoted, for naming its indexes. */
function baseName(name: string): string {
  return name.split('.').pop() ?? name;
}

export interface TableDesign {
  table: string;
  /** vector(n) with an HNSW index when given and pgvector exists; real[] otherwise. */
  vectorDimensions?: number;
}

/** The statements that create the table and its indexes (idempotent: IF NOT EXISTS throughout). */
export function createTableStatements({ table, vectorDimensions }: TableDesign): string[] {
  const quoted = quoteTable(table);
  const embeddings = vectorDimensions ? `vector(${vectorDimensions})` : 'REAL[]';
  const columns = COLUMNS.map(([name, type]) => `  ${name} ${name === 'embeddings' ? embeddings : type}`).join(',\n');
  const index = (suffix: string) => `"${`${baseName(table)}_${suffix}`.replace(/"/g, '""')}"`;
  return [
    `CREATE TABLE IF NOT EXISTS ${quoted} (\n${columns}\n)`,
    // A page's rows are found by its record id on every write (delete, then insert).
    `CREATE INDEX IF NOT EXISTS ${index('record_id_idx')} ON ${quoted} (record_id)`,
    // Serves containment filters (permissions_data @> '[{"read": {"users": ["..."]}}]').
    `CREATE INDEX IF NOT EXISTS ${index('permissions_idx')} ON ${quoted} USING gin (permissions_data jsonb_path_ops)`,
    ...(vectorDimensions
      ? [
          `CREATE INDEX IF NOT EXISTS ${index('embeddings_hnsw_idx')} ON ${quoted} USING hnsw (embeddings vector_cosine_ops)`,
        ]
      : []),
  ];
}

/** Reads format_type()'s name of the embeddings column: vector(384), vector, real[], numeric[], text... */
export function embeddingsColumnOf(type: string): EmbeddingsColumn {
  const vector = /^vector(?:\((\d+)\))?$/.exec(type);
  if (vector) return { kind: 'vector', dimensions: vector[1] ? Number(vector[1]) : undefined };
  return type.endsWith('[]') ? { kind: 'array' } : { kind: 'text' };
}
