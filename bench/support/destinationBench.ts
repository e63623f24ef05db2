// What the destination benches share: their flags, the pages they write (E elements of D-dimension vectors, with
// permissions), and one pass that writes every page as the upload step does, C in flight, each recorded in the
// checkpoint after (or, for a database, inside the transaction of) its write.
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { CheckpointStore } from '../../src/checkpoint';
import type { DocumentRecord } from '../../src/core/document';
import type { Element, PermissionsData } from '../../src/core/elements';
import type { Uploader } from '../../src/destinations/uploader';

export interface BenchSettings {
  pages: number;
  elements: number;
  dimensions: number;
  inFlight: number;
}

/** `--pages N --elements E --dimensions D --in-flight C` from the command line. */
export function benchSettings(defaultPages: number): BenchSettings {
  const { values } = parseArgs({
    options: {
      pages: { type: 'string', default: String(defaultPages) },
      elements: { type: 'string', default: '40' },
      dimensions: { type: 'string', default: '384' },
      'in-flight': { type: 'string', default: '5' },
    },
  });
  return {
    pages: Number(values.pages),
    elements: Number(values.elements),
    dimensions: Number(values.dimensions),
    inFlight: Number(values['in-flight']),
  };
}

const SITE = 'https://bench.example.com';

const PERMISSIONS: PermissionsData = [
  { read: { users: ['acc-1', 'acc-2'], groups: ['grp-eng'] } },
  { update: { users: [], groups: [] } },
  { delete: { users: [], groups: [] } },
];

export function benchPage(
  settings: BenchSettings,
  id: number,
  version: number,
): { document: DocumentRecord; elements: Element[] } {
  const dataSource = {
    url: `${SITE}/wiki/${id}`,
    version: String(version),
    record_locator: { space_id: 'BENCH', document_id: String(id) },
    date_created: '2024-01-01T00:00:00.000Z',
    date_processed: new Date().toISOString(),
    permissions_data: PERMISSIONS,
  };
  const elements = Array.from({ length: settings.elements }, (_, i) => ({
    type: i === 0 ? 'Title' : 'NarrativeText',
    element_id: createHash('sha256').update(`${id}/${version}/${i}`).digest('hex').slice(0, 32),
    text: `Element ${i} of page ${id}: ${'lorem ipsum dolor sit amet '.repeat(8)}`,
    metadata: { filename: `${id}.html`, filetype: 'text/html', languages: ['eng'], data_source: dataSource },
    embeddings: Array.from({ length: settings.dimensions }, (_, k) => Math.sin(id + i + k)),
  }));
  const document: DocumentRecord = {
    identifier: String(id),
    version,
    displayName: `Page ${id}`,
    collection: 'BENCH',
    sourceIdentifiers: { filename: `${id}.html`, relativePath: `BENCH/${id}.html` },
    metadata: dataSource,
    content: { path: '' },
    mediaType: 'text/html',
  };
  return { document, elements };
}

/** Writes every page at `version`; returns the seconds it took. */
export async function writePass(
  settings: BenchSettings,
  uploader: Uploader,
  checkpoint: CheckpointStore,
  version: number,
): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: settings.inFlight }, async () => {
      while (next < settings.pages) {
        const { document, elements } = benchPage(settings, next++, version);
        await uploader.writePage(document, elements, (stored, transaction) =>
          checkpoint.commit(
            {
              site: SITE,
              id: document.identifier,
              version,
              spaceKey: 'BENCH',
              title: document.displayName,
              outputPaths: [stored.location],
              digest: stored.digest,
              runId: 'bench',
            },
            transaction,
          ),
        );
      }
    }),
  );
  return (performance.now() - start) / 1000;
}
