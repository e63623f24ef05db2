// One element as one row of the elements table, flattened as unstructured-ingest's SQL upload stager does: the
// element's own fields, then its metadata, then data_source, then coordinates, each over the last; `id` is
// uuid5(element_id + record_id) and `record_id` the document's key. Lists and objects in text columns are JSON,
// version, page_number and regex_metadata text. Keys the table has no column for are left out when the rows are
// inserted (jsonb_populate_recordset), as unstructured-ingest fits rows to the table.
import type { Element } from '../../core/elements';
import { v5 as uuid5 } from 'uuid';
import type { EmbeddingsColumn } from './layout';

export type Row = Record<string, unknown>;

const DATE_COLUMNS = new Set(['date_created', 'date_modified', 'date_processed', 'last_modified']);
const JSON_TEXT_COLUMNS = new Set(['record_locator', 'points', 'links']);
const STRING_COLUMNS = new Set(['version', 'page_number', 'regex_metadata']);

/** unstructured-ingest's row id, so the same element of the same document is the same row whichever tool wrote it. */
export function rowId(elementId: string, recordId: string): string {
  return uuid5(`${elementId}${recordId}`, uuid5.DNS);
}

/** Dates as instants PostgreSQL reads; epoch seconds (as Unstructured writes some) become ISO text. */
function instant(value: unknown): unknown {
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value))) {
    return new Date(Number(value) * 1000).toISOString();
  }
  return value;
}

function conform(column: string, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (DATE_COLUMNS.has(column)) return instant(value);
  if (JSON_TEXT_COLUMNS.has(column)) return typeof value === 'object' ? JSON.stringify(value) : null;
  if (STRING_COLUMNS.has(column)) return String(value);
  return value;
}

/** A vector column reads pgvector's text form; an array column takes the JSON array as is. */
function embeddingsValue(embeddings: number[] | undefined, column: EmbeddingsColumn | undefined): unknown {
  if (!embeddings) return null;
  return column?.kind === 'array' ? embeddings : JSON.stringify(embeddings);
}

export function elementRow(element: Element, recordId: string, embeddingsColumn?: EmbeddingsColumn): Row {
  const { metadata, embeddings, ...fields } = element;
  const { data_source: dataSource = {}, coordinates, ...rest } = metadata;
  const flat: Row = { ...fields, ...rest, ...dataSource, ...(coordinates as Row | undefined) };
  const row: Row = {};
  for (const [column, value] of Object.entries(flat)) row[column] = conform(column, value);
  // permissions_data is JSONB here (unstructured-ingest's TEXT column gets its JSON text from the same value).
  row.permissions_data = dataSource.permissions_data ?? null;
  row.embeddings = embeddingsValue(embeddings, embeddingsColumn);
  row.metadata = metadata;
  row.id = rowId(element.element_id, recordId);
  row.record_id = recordId;
  return row;
}
