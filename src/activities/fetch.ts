// The fetch step: everything a page needs from Confluence, its body (into the work dir) and its permissions, asked
// for side by side in one activity.
import type { Permissions, Site } from '../config';
import type { ConfluenceClient } from '../confluence/client';
import type { PageRef } from '../confluence/types';
import { downloadPage, type DownloadedPage } from './download';
import { pagePermissions, type PagePermissionsResult } from './permissions';

export interface FetchPageInput {
  site: Site;
  ref: PageRef;
  workDir: string;
  permissions: Permissions;
}

export interface FetchedPage extends DownloadedPage {
  access: PagePermissionsResult;
}

export function fetchActivities(client: (site: Site) => ConfluenceClient) {
  return {
    async fetchPage({ site, ref, workDir, permissions }: FetchPageInput): Promise<FetchedPage> {
      const confluence = client(site);
      const [downloaded, access] = await Promise.all([
        downloadPage(confluence, { site, ref, workDir }),
        pagePermissions(confluence, { site, ref, permissions }),
      ]);
      return { ...downloaded, access };
    },
  };
}
