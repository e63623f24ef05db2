// Chunk metadata as Unstructured consolidates it (ConsolidationStrategy in unstructured 0.27), and
// element dicts as its loader round-trips them (None dropped, [] and {} omitted, data_source keys it knows).

export type Metadata = Record<string, unknown>;

type Strategy = 'first' | 'drop' | 'concat' | 'unique' | 'join' | 'mergeRecords';

// In ElementMetadata.__init__ order, which is the key order of a chunk's metadata.
const FIELDS: Array<[string, Strategy]> = [
  ['attached_to_filename', 'first'],
  ['bcc_recipient', 'first'],
  ['category_depth', 'drop'],
  ['cc_recipient', 'first'],
  ['coordinates', 'drop'],
  ['data_source', 'first'],
  ['detection_class_prob', 'drop'],
  ['enrichment_origins', 'mergeRecords'],
  ['emphasized_text_contents', 'concat'],
  ['emphasized_text_tags', 'concat'],
  ['file_directory', 'first'],
  ['filename', 'first'],
  ['filetype', 'first'],
  ['header_footer_type', 'drop'],
  ['image_base64', 'drop'],
  ['image_mime_type', 'drop'],
  ['image_url', 'drop'],
  ['image_path', 'drop'],
  ['is_continuation', 'drop'],
  ['languages', 'unique'],
  ['last_modified', 'first'],
  ['link_texts', 'concat'],
  ['link_urls', 'concat'],
  ['link_start_indexes', 'drop'],
  ['links', 'drop'],
  ['email_message_id', 'first'],
  ['orig_elements', 'drop'],
  ['page_name', 'first'],
  ['page_number', 'first'],
  ['parent_id', 'drop'],
  ['routing', 'drop'],
  ['routing_score', 'drop'],
  ['sent_from', 'first'],
  ['sent_to', 'first'],
  ['signature', 'first'],
  ['subject', 'first'],
  ['text_as_html', 'join'],
  ['table_as_cells', 'first'],
  ['table_extraction_method', 'first'],
  ['table_id', 'drop'],
  ['chunk_index', 'drop'],
  ['num_carried_over_header_rows', 'drop'],
  ['url', 'first'],
  ['segment_end_seconds', 'drop'],
  ['segment_start_seconds', 'drop'],
  ['style_name', 'drop'],
  ['is_extracted', 'drop'],
  ['key_value_pairs', 'drop'],
];
const STRATEGY = new Map(FIELDS);
const DATA_SOURCE_KEYS = [
  'url',
  'version',
  'record_locator',
  'date_created',
  'date_modified',
  'date_processed',
  'permissions_data',
];
const DEBUG_FIELDS = new Set(['detection_origin']);

const isEmptyContainer = (v: unknown): boolean =>
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/** Metadata as ElementMetadata.from_dict holds it: unset values gone, data_source reduced to its known keys. */
export function loadMetadata(raw: Metadata): Metadata {
  const out: Metadata = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === null || value === undefined || DEBUG_FIELDS.has(key)) continue;
    out[key] = key === 'data_source' ? loadDataSource(value as Metadata) : value;
  }
  return out;
}

function loadDataSource(raw: Metadata): Metadata {
  const out: Metadata = {};
  for (const key of DATA_SOURCE_KEYS) if (raw[key] !== null && raw[key] !== undefined) out[key] = raw[key];
  return out;
}

/** ElementMetadata.to_dict: [] and {} omitted, except data_source which always serializes. */
export function serializeMetadata(meta: Metadata): Metadata {
  const out: Metadata = {};
  for (const [key, value] of Object.entries(meta)) {
    if (value === undefined || (key !== 'data_source' && isEmptyContainer(value))) continue;
    out[key] = value;
  }
  return out;
}

/** Fields a table chunk keeps: the table's own metadata less the ones chunking drops. */
export function withoutDroppedFields(meta: Metadata): Metadata {
  const out: Metadata = {};
  for (const [key, value] of Object.entries(meta)) if (STRATEGY.get(key) !== 'drop') out[key] = value;
  return out;
}

/**
 * One metadata object for a chunk of several elements; unknown (ad-hoc) fields do not survive, as in
 * Unstructured. `origElements` takes its place among the fields (key order follows Unstructured's).
 */
export function consolidateMetadata(metas: Metadata[], origElements: string | null): Metadata {
  const out: Metadata = {};
  for (const [field, strategy] of FIELDS) {
    if (field === 'orig_elements' && origElements !== null) out[field] = origElements;
    const values = metas.map((m) => m[field]).filter((v) => v !== undefined);
    if (values.length === 0 || strategy === 'drop') continue;
    out[field] = consolidate(strategy, values);
  }
  return splitFilename(out);
}

function consolidate(strategy: Exclude<Strategy, 'drop'>, values: unknown[]): unknown {
  switch (strategy) {
    case 'first':
      return values[0];
    case 'concat':
      return (values as unknown[][]).flat();
    case 'unique':
      return [...new Set((values as unknown[][]).flat())];
    case 'join':
      return (values as string[]).map((v) => v.trim()).join(' ');
    case 'mergeRecords':
      return mergeRecords(values as Array<Record<string, Metadata[]>>);
  }
}

/** dict-of-lists union with records de-duplicated by content, first seen first. */
function mergeRecords(values: Array<Record<string, Metadata[]>>): Record<string, Metadata[]> {
  const merged: Record<string, Metadata[]> = {};
  for (const value of values) {
    for (const [key, records] of Object.entries(value)) {
      const kept = (merged[key] ??= []);
      const seen = new Set(kept.map(recordKey));
      for (const record of records) {
        if (seen.has(recordKey(record))) continue;
        seen.add(recordKey(record));
        kept.push(record);
      }
    }
  }
  return merged;
}

const recordKey = (record: Metadata): string =>
  JSON.stringify(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1)));

/** ElementMetadata's constructor keeps only the basename in `filename`, the rest going to file_directory. */
function splitFilename(meta: Metadata): Metadata {
  const filename = meta.filename;
  if (typeof filename !== 'string' || !filename.includes('/')) return meta;
  const cut = filename.lastIndexOf('/');
  const directory = filename.slice(0, cut).replace(/\/+$/, '') || (filename.startsWith('/') ? '/' : '');
  const base = filename.slice(cut + 1);
  const out: Metadata = { ...meta };
  if (!out.file_directory && directory) out.file_directory = directory;
  if (base) out.filename = base;
  else delete out.filename;
  return out;
}
