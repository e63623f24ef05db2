// The partition step: page HTML from the work dir -> Unstructured elements with the page's data_source, back to the work dir.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PageRef } from '../confluence/types';
import type { DataSourceMetadata, Element } from '../partition/elements';
import { partitionHtml } from '../partition/html';
import { writeFileAtomic } from '../destinations/atomicWrite';

export interface PartitionPageInput {
  htmlPath: string;
  ref: PageRef;
}

export interface PartitionedPage {
  elementsPath: string;
  elementCount: number;
}

export function pageDataSource(ref: PageRef, processedAt: Date): DataSourceMetadata {
  return {
    url: ref.url,
    version: String(ref.version),
    record_locator: { space_id: ref.spaceKey, document_id: ref.id },
    date_created: ref.createdAt,
    date_modified: ref.modifiedAt,
    date_processed: processedAt.toISOString(),
  };
}

export function withDataSource(elements: Element[], dataSource: DataSourceMetadata): Element[] {
  return elements.map((el) => ({ ...el, metadata: { ...el.metadata, data_source: dataSource } }));
}

export const partitionActivities = {
  async partitionPage({ htmlPath, ref }: PartitionPageInput): Promise<PartitionedPage> {
    const html = await readFile(htmlPath, 'utf8');
    const elements = partitionHtml(html, {
      filename: `${ref.id}.html`,
      fileDirectory: path.dirname(htmlPath),
      lastModified: ref.modifiedAt,
      url: ref.url,
    });
    const elementsPath = htmlPath.replace(/\.html$/, '.elements.json');
    await writeFileAtomic(elementsPath, JSON.stringify(withDataSource(elements, pageDataSource(ref, new Date()))));
    return { elementsPath, elementCount: elements.length };
  },
};
