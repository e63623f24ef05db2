// The Unstructured element schema as we write it (see shared/unstructured-compat/BRIEF.md §1).

export interface PermissionSet {
  users: string[];
  groups: string[];
}

export type PermissionsData = [{ read: PermissionSet }, { update: PermissionSet }, { delete: PermissionSet }];

export interface DataSourceMetadata {
  url?: string;
  version?: string;
  record_locator?: Record<string, unknown>;
  date_created?: string;
  date_modified?: string;
  date_processed?: string;
  permissions_data?: PermissionsData;
  filesize_bytes?: number;
}

export interface ElementMetadata {
  filename?: string;
  file_directory?: string;
  filetype?: string;
  languages?: string[];
  last_modified?: string;
  parent_id?: string;
  category_depth?: number;
  page_number?: number;
  link_texts?: string[];
  link_urls?: string[];
  emphasized_text_contents?: string[];
  emphasized_text_tags?: string[];
  text_as_html?: string;
  image_url?: string;
  image_base64?: string;
  image_mime_type?: string;
  orig_elements?: string;
  is_continuation?: boolean;
  chunk_index?: number;
  table_id?: string;
  url?: string;
  data_source?: DataSourceMetadata;
  [key: string]: unknown;
}

export interface Element {
  type: string;
  element_id: string;
  text: string;
  metadata: ElementMetadata;
  embeddings?: number[];
}

/** Every element of a document points at where it came from (url, version, record_locator, permissions...). */
export function withDataSource(elements: Element[], dataSource: DataSourceMetadata): Element[] {
  return elements.map((el) => ({ ...el, metadata: { ...el.metadata, data_source: dataSource } }));
}
