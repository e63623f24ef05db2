// The cloud id the gateway path needs, for users who pass only the site URL: Atlassian's edge serves it to anyone at
// <site>/_edge/tenant_info.
import { request } from 'undici';
import { z } from 'zod';
import type { Site } from '../site';
import { ConfluenceConfigError } from './errors';
import { normalizeSiteUrl } from './url';

const TenantInfo = z.object({ cloudId: z.string().regex(/^[A-Za-z0-9-]+$/) });
const TIMEOUT_MS = 10_000;

/** The site with its cloud id when it signs in with a scoped token and none was given; otherwise the site as it is. */
export async function withCloudId(site: Site): Promise<Site> {
  if (!site.scopedToken || site.cloudId) return site;
  const url = `${normalizeSiteUrl(site.url, true).origin}/_edge/tenant_info`;
  const failed = (why: string) =>
    new ConfluenceConfigError(`could not read the cloud id from ${url} (${why}); pass it with --cloud-id`);
  let body: unknown;
  try {
    const res = await request(url, { headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw failed(`HTTP ${res.statusCode}`);
    }
    body = await res.body.json();
  } catch (err) {
    throw err instanceof ConfluenceConfigError ? err : failed(err instanceof Error ? err.message : String(err));
  }
  const parsed = TenantInfo.safeParse(body);
  if (!parsed.success) throw failed('no cloudId in the answer');
  return { ...site, cloudId: parsed.data.cloudId };
}
