// The Confluence connector's steps as activities: listing, downloading pages, inlining images, saving files. Each
// adapter looks up the worker's client for the site, hands the connector the activity's heartbeat and cancellation,
// and saves what the connector fetched as handoffs for the next steps.
import { Context } from '@temporalio/activity';
import { authorizationHeader } from '../../connectors/confluence/client/auth';
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import type { PageRef, SpacePermissionsSource } from '../../connectors/confluence/client/types';
import type { Extract, Permissions } from '../../connectors/confluence/config';
import { downloadPageComments } from '../../connectors/confluence/comments';
import { downloadPage, type DownloadPageInput } from '../../connectors/confluence/download';
import { type Attempt, withFetchSession } from '../../connectors/confluence/fetchSession';
import { downloadPageFiles, type FileSettings } from '../../connectors/confluence/files/download';
import { inlinePageImages } from '../../connectors/confluence/images';
import {
  type ListContentInput,
  type ListSpacesInput,
  listContent,
  listSpaces,
} from '../../connectors/confluence/indexer';
import type { ReadsAlone } from '../../connectors/confluence/readsAlone';
import type { Site } from '../../connectors/confluence/site';
import type { DocumentRecord } from '../../core/document';
import type { PermissionsData } from '../../core/elements';
import type { Handoff } from '../../core/handoff';
import type { LeftOut } from '../../core/leftOut';
import type { ActivityDeps } from './deps';
import type { Handoffs } from './handoff';
import { workFilesOf } from '../workDir';

interface OnSite {
  site: Site;
}

/** The step's output travels inline: the next step may run on another machine. */
interface HandoffMode {
  inline: boolean;
}

export type ImageSettings = Pick<Extract, 'allowList' | 'maxImageBytes'>;

export interface InlineImagesInput extends OnSite, HandoffMode {
  document: DocumentRecord;
  images: ImageSettings;
  timeoutSeconds: number;
}

export interface PageFilesInput extends OnSite, HandoffMode {
  ref: PageRef;
  /** The page as downloaded, before images were inlined: its links are the files. */
  html: Handoff;
  files: FileSettings & Pick<Extract, 'allowList'>;
  /** The job's, for the permissions of another page a file is attached to. */
  permissions: Permissions;
  timeoutSeconds: number;
}

export interface PageCommentsActivityInput extends OnSite, HandoffMode {
  ref: PageRef;
  /** The page's own, which its comments share. */
  permissionsData?: PermissionsData;
}

export type DownloadedPage =
  | {
      document: DocumentRecord;
      ref: PageRef;
      hostQueue: string;
      spacePermissionsSource?: SpacePermissionsSource;
      /** Content of other pages taken out of the body, and why. */
      leftOut?: LeftOut[];
      /** Requests that read the page or its facts outside its batch, by why and what. */
      readsAlone?: ReadsAlone;
    }
  | { skipped: string; ref: PageRef };

function currentAttempt(timeoutSeconds: number): Attempt {
  const ctx = Context.current();
  return {
    heartbeat: (details) => ctx.heartbeat(details),
    signal: ctx.cancellationSignal,
    timeoutMs: timeoutSeconds * 1000,
  };
}

export function confluenceActivities(client: (site: Site) => ConfluenceClient, deps: ActivityDeps, handoffs: Handoffs) {
  const session = (site: Site, allowList: string[]) => ({
    siteUrl: site.url,
    allowList,
    authorization: authorizationHeader(site, deps.secretsFor(site)),
  });
  const withContent = async (
    document: DocumentRecord,
    data: string | Buffer,
    inline: boolean,
  ): Promise<DocumentRecord> => ({
    ...document,
    content: await handoffs.write(document.content.path, data, inline),
  });
  return {
    listSpaces: ({ site, ...input }: OnSite & ListSpacesInput) => listSpaces(client(site), input),
    listContent: ({ site, ...input }: OnSite & ListContentInput) => listContent(client(site), input),

    /** The page's first step: it also names this worker's own queue, where the steps beside its files are sent. */
    async downloadPage({
      inline,
      ...input
    }: Omit<DownloadPageInput, 'workFile'> & HandoffMode): Promise<DownloadedPage> {
      const workFile = workFilesOf(deps.host.workDir, input.site.url);
      const result = await downloadPage(client(input.site), { ...input, workFile });
      if (!('document' in result)) return result;
      const source = result.spacePermissionsSource ? { spacePermissionsSource: result.spacePermissionsSource } : {};
      return {
        document: await withContent(result.document, result.html, inline),
        ref: result.ref,
        hostQueue: deps.host.queue,
        ...source,
        ...(result.leftOut ? { leftOut: result.leftOut } : {}),
        ...(result.readsAlone ? { readsAlone: result.readsAlone } : {}),
      };
    },

    /** --include-comments: the page's comments as a document of parts, one per comment. */
    async downloadPageComments({
      site,
      ref,
      permissionsData,
      inline,
    }: PageCommentsActivityInput): Promise<{ document: DocumentRecord; count: number }> {
      const input = {
        ref,
        workFile: workFilesOf(deps.host.workDir, site.url),
        ...(permissionsData ? { permissionsData } : {}),
      };
      const result = await downloadPageComments(client(site), input);
      return { document: await withContent(result.document, result.json, inline), count: result.count };
    },

    async inlinePageImages({
      site,
      document,
      images,
      timeoutSeconds,
      inline,
    }: InlineImagesInput): Promise<{ document: DocumentRecord; leftOut: LeftOut[] }> {
      const html = await handoffs.readText(document.content);
      const result = await withFetchSession(session(site, images.allowList), currentAttempt(timeoutSeconds), (s) =>
        inlinePageImages(s, html, document.url ?? '', images.maxImageBytes),
      );
      const inlined = { ...document, content: { path: handoffs.nextPath(document.content, 'images', 'html') } };
      return { document: await withContent(inlined, result.html, inline), leftOut: result.leftOut };
    },

    async downloadPageFiles({
      site,
      ref,
      html,
      files,
      permissions,
      timeoutSeconds,
      inline,
    }: PageFilesInput): Promise<{ files: DocumentRecord[]; leftOut: LeftOut[] }> {
      const pageHtml = await handoffs.readText(html);
      const saved = await withFetchSession(session(site, files.allowList), currentAttempt(timeoutSeconds), (s) =>
        downloadPageFiles(client(site), s, { site, ref, html: pageHtml, settings: files, permissions }),
      );
      const documents = await Promise.all(
        saved.files.map(async (f) => ({ ...f, content: await handoffs.adopt(f.content.path, inline) })),
      );
      return { files: documents, leftOut: saved.leftOut };
    },
  };
}
