// A Confluence page, or a file it carries, as a source-neutral document record.
import type { DocumentRecord } from '../../core/document';
import type { DataSourceMetadata } from '../../core/elements';
import type { PageRef } from './client/types';

export interface DocumentContent {
  filename: string;
  relativePath: string;
  localPath: string;
  mediaType: string;
  url: string;
  lastModified?: string;
}

/** Identified by its page (id, version, space), whether it is the page itself or one of its files. */
export function documentOfPage(
  ref: PageRef,
  displayName: string,
  content: DocumentContent,
  metadata: DataSourceMetadata,
): DocumentRecord {
  const { filename, relativePath, localPath, ...rest } = content;
  const sourceIdentifiers = { filename, relativePath };
  return {
    identifier: ref.id,
    version: ref.version,
    ...(ref.contentVersion ? { contentVersion: ref.contentVersion } : {}),
    displayName,
    collection: ref.spaceKey,
    sourceIdentifiers,
    metadata,
    content: { path: localPath },
    ...rest,
  };
}
