// The Confluence connector's steps as activities: listing, downloading pages, inlining images, saving files. Each
// adapter looks up the worker's client for the site and hands the connector the activity's heartbeat and cancellation.
import { Context } from '@temporalio/activity';
import type { ConfluenceClient } from '../../connectors/confluence/client/client';
import { authorizationHeader } from '../../connectors/confluence/client/auth';
import type { Extract } from '../../connectors/confluence/config';
import { downloadPage, type DownloadPageInput } from '../../connectors/confluence/download';
import { withFetchSession, type Attempt } from '../../connectors/confluence/fetchSession';
import { downloadPageFiles, type FileSettings } from '../../connectors/confluence/files/download';
import { inlinePageImages } from '../../connectors/confluence/images';
import { listContent, listSpaces, type ListContentInput, type ListSpacesInput } from '../../connectors/confluence/indexer';
import type { PageRef } from '../../connectors/confluence/client/types';
import type { Site } from '../../connectors/confluence/site';
import type { DocumentRecord } from '../../core/document';
import type { ActivityDeps } from './deps';

interface OnSite {
  site: Site;
}

export type ImageSettings = Pick<Extract, 'allowList' | 'maxImageBytes'>;

export interface InlineImagesInput extends OnSite {
  document: DocumentRecord;
  images: ImageSettings;
  timeoutSeconds: number;
}

export interface PageFilesInput extends OnSite {
  ref: PageRef;
  /** The page as downloaded, before images were inlined: its links are the files. */
  htmlPath: string;
  files: FileSettings & Pick<Extract, 'allowList'>;
  timeoutSeconds: number;
}

function currentAttempt(timeoutSeconds: number): Attempt {
  const ctx = Context.current();
  return { heartbeat: (details) => ctx.heartbeat(details), signal: ctx.cancellationSignal, timeoutMs: timeoutSeconds * 1000 };
}

export function confluenceActivities(client: (site: Site) => ConfluenceClient, deps: ActivityDeps) {
  const session = (site: Site, allowList: string[]) => ({
    siteUrl: site.url,
    allowList,
    authorization: authorizationHeader(site, deps.secretsFor(site)),
  });
  return {
    listSpaces: ({ site, ...input }: OnSite & ListSpacesInput) => listSpaces(client(site), input),
    listContent: ({ site, ...input }: OnSite & ListContentInput) => listContent(client(site), input),
    downloadPage: (input: DownloadPageInput) => downloadPage(client(input.site), input),
    inlinePageImages: ({ site, document, images, timeoutSeconds }: InlineImagesInput) =>
      withFetchSession(session(site, images.allowList), currentAttempt(timeoutSeconds), (s) => inlinePageImages(s, document, images.maxImageBytes)),
    downloadPageFiles: ({ site, ref, htmlPath, files, timeoutSeconds }: PageFilesInput) =>
      withFetchSession(session(site, files.allowList), currentAttempt(timeoutSeconds), (s) =>
        downloadPageFiles(client(site), s, { ref, htmlPath, settings: files }),
      ),
  };
}
