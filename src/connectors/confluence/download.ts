// The connector's download step: a page's rendered body and its permissions, asked for side by side, become a
// source-neutral document whose data_source every element will carry, and the HTML to save at its content path.
import type { DataSourceMetadata, PermissionsData } from '../../core/elements';
import { pyHtmlEscape } from '../../core/htmlEscape';
import type { ConfluenceClient } from './client/client';
import { toActivityFailure } from './client/failures';
import { isTreeDoc, type PageRef, type SpacePermissionsSource } from './client/types';
import type { Permissions } from './config';
import type { ContentRegions, DocumentRecord } from '../../core/document';
import { capLeftOut, type LeftOut } from '../../core/leftOut';
import { type IncludedContent, includedContent } from './includes/included';
import { mayRenderOtherPages } from './includes/macros';
import { confluenceIncludeSources } from './includes/sources';
import type { ResolvedPermissions } from './permissions';
import { documentOfPage } from './documents';
import { encodePermissionsVersion } from '../../core/permissionsVersion';
import { pagePermissions } from './pagePermissions';
import { bodiesBatched, type Site } from './site';
import { contentBatcher } from './contentBatch';
import { AloneReads, type ReadsAlone } from './readsAlone';
import { withLateMacros } from './lateMacros';
import { treeDocBody } from './treeDocs';
import { unrenderedMacros } from './unrenderedMacros';

export interface DownloadPageInput {
  site: Site;
  ref: PageRef;
  /** Where in the worker's folder for this site a file of the given name goes. */
  workFile: (name: string) => string;
  permissions: Permissions;
}

/**
 * The page as a document (its HTML to be saved at document.content.path), or why it is deliberately not written
 * (--on-permission-error skip).
 */
export type DownloadedPage =
  | {
      document: DocumentRecord;
      html: string;
      ref: PageRef;
      spacePermissionsSource?: SpacePermissionsSource;
      /**
       * Content of other pages taken out of the body (an include that cannot be resolved), text Confluence builds in
       * the browser that could not be filled or is Jira's, macros that rendered nothing, and why.
       */
      leftOut?: LeftOut[];
      /** Requests that read the page (or its ancestors' restrictions) outside its batch, by why and what. */
      readsAlone?: ReadsAlone;
    }
  | { skipped: string; ref: PageRef };

export async function downloadPage(
  client: ConfluenceClient,
  { site, ref, workFile, permissions }: DownloadPageInput,
): Promise<DownloadedPage> {
  const log = new AloneReads();
  const [body, access] = await Promise.all([
    downloadBody(client, { site, ref, workFile, run: permissions.run }, log),
    pagePermissions(client, { site, ref, permissions }, log),
  ]);
  if (access.unavailable?.action === 'skip')
    return { skipped: `permissions unreadable: ${access.unavailable.reason}`, ref: body.ref };
  const processedAt = new Date();
  const metadata = pageDataSource(body.ref, processedAt, access.permissionsData, access.capped);
  const { ref: page, htmlPath } = body;
  const late = await withLateMacros(client, { site, ref: page, run: permissions.run, log }, body.html).catch(
    (err: unknown) => {
      throw toActivityFailure(err);
    },
  );
  // Without permissions there is no promise for included text to break: the body is left as Confluence renders it.
  const sources = confluenceIncludeSources(client, { site, permissions });
  const included =
    access.permissionsData && mayRenderOtherPages(late.html)
      ? await includedContent(
          late.html,
          page,
          { permissionsData: access.permissionsData, capped: access.capped },
          sources,
        ).catch((err: unknown) => {
          throw toActivityFailure(err);
        })
      : undefined;
  const content = {
    filename: `${page.id}.html`,
    relativePath: `${page.spaceKey}/${page.id}.html`,
    localPath: htmlPath,
    mediaType: 'text/html',
    url: page.url,
  };
  const document = {
    ...documentOfPage(page, page.title, { ...content, lastModified: page.modifiedAt }, metadata),
    ...(access.fingerprint
      ? {
          permissionsVersion: encodePermissionsVersion({ own: access.fingerprint, dependencies: sources.dependencies }),
        }
      : {}),
  };
  const html = included?.html ?? late.html;
  const leftOut = [...late.leftOut, ...(included?.leftOut ?? []), ...unrenderedMacros(html)];
  return {
    document: included?.regions.size
      ? { ...document, regions: includedRegions(page, processedAt, included) }
      : document,
    html,
    ref: page,
    ...(access.spacePermissionsSource ? { spacePermissionsSource: access.spacePermissionsSource } : {}),
    ...(leftOut.length ? { leftOut: capLeftOut(leftOut) } : {}),
    ...(log.reported ? { readsAlone: log.reported } : {}),
  };
}

/** Included text carries the page's data_source with the narrower permissions and the chain of pages it comes from. */
export function includedRegions(page: PageRef, processedAt: Date, included: IncludedContent): ContentRegions {
  const source = (permissions: ResolvedPermissions, chain?: string[]): DataSourceMetadata => {
    const base = pageDataSource(page, processedAt, permissions.permissionsData, permissions.capped);
    return chain ? { ...base, record_locator: { ...base.record_locator, included_page_ids: chain } } : base;
  };
  const sources = Object.fromEntries(
    [...included.regions].map(([name, region]) => [name, source(region.permissions, region.chain)]),
  );
  return { sources, mixed: source(included.narrowest) };
}

export function documentHtml(title: string, viewHtml: string): string {
  // Wrapped as unstructured-ingest wraps a Confluence page, so element ids and titles match the reference.
  return `<body class='Document'><h1>${pyHtmlEscape(title, false)}</h1>${viewHtml}</body>`;
}

/**
 * The page's body, where in the work dir it goes, and its ref as the page itself reports it (its version may be newer
 * than the listing's).
 */
async function downloadBody(
  client: ConfluenceClient,
  { site, ref, workFile, run }: Pick<DownloadPageInput, 'site' | 'ref' | 'workFile'> & { run?: string },
  log: AloneReads,
): Promise<{ htmlPath: string; html: string; ref: PageRef }> {
  try {
    const page = await pageBody(client, site, ref, { run, log });
    const htmlPath = workFile(`${ref.spaceKey}/${ref.id}.v${page.ref.version}.html`);
    return {
      htmlPath,
      html: documentHtml(page.ref.title, page.html),
      ref: { ...ref, ...page.ref, spaceKey: ref.spaceKey },
    };
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/**
 * From the run's batched read on this worker when bodies are batched (which reads the page alone, fresh, when its
 * batch did not return it at the listing's version or later), else from its own endpoint. A whiteboard, database or
 * embed has no body: its metadata makes one.
 */
async function pageBody(
  client: ConfluenceClient,
  site: Site,
  ref: PageRef,
  { run, log }: { run?: string; log: AloneReads },
): Promise<{ ref: Omit<PageRef, 'spaceId' | 'spaceKey'>; html: string }> {
  if (isTreeDoc(ref.contentType)) return treeDocBody(client, ref.id, ref.contentType);
  if (!bodiesBatched(site)) return client.getPage(ref.id, ref.contentType);
  return contentBatcher(client, run).page(ref, log);
}

export function pageDataSource(
  ref: PageRef,
  processedAt: Date,
  permissionsData?: PermissionsData,
  permissionsCapped = false,
): DataSourceMetadata {
  return {
    url: ref.url,
    version: String(ref.version),
    record_locator: {
      space_id: ref.spaceKey,
      document_id: ref.id,
      // Pages keep unstructured-ingest's locator; the other types say what they are.
      ...(isTreeDoc(ref.contentType) ? { content_type: ref.contentType } : {}),
      ...(ref.labels?.length ? { labels: ref.labels } : {}),
      ...(permissionsCapped ? { permissions_capped: true } : {}),
    },
    date_created: ref.createdAt,
    date_modified: ref.modifiedAt,
    date_processed: processedAt.toISOString(),
    ...(permissionsData ? { permissions_data: permissionsData } : {}),
  };
}
