// The permission reads the main client does not offer: space grants on Data Center and members of groups.
// Requests go through the client's own authenticated, rate-limited, retrying same-origin GET (`download`),
// so they share the site's pool and limiter and their failures are the client's typed ConfluenceErrors.
import { z } from 'zod';
import { parseJsonBody } from '../../../core/jsonBody';
import type { Site } from '../site';
import type { ConfluenceClient } from './clientTypes';
import { ConfluenceError } from './errors';
import type { SpacePermissionRef } from './types';
import { joinUrl, siteEndpoints } from './url';

/** Larger than any permission answer we expect; a bound so a misbehaving server cannot exhaust memory. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;
const SPACE_PERMISSIONS_LIMIT = 250;
const MEMBERS_LIMIT = 200;

export interface PermissionsApi {
  /** Every grant of a space: Cloud REST v2, Data Center 9.1+ `space/{key}/permissions` (space administrators only). */
  spacePermissions(space: { id: string; key: string }): Promise<SpacePermissionRef[]>;
  /** Members of a group (Cloud group id, Data Center group name) as Cloud account ids or Data Center user keys. */
  groupMembers(groupId: string): Promise<string[]>;
}

const V1Member = z.object({ accountId: z.string().optional(), userKey: z.string().optional() });

const V1Members = z.object({
  results: z.array(V1Member),
  limit: z.number().int().optional(),
  _links: z.object({ next: z.string().optional() }).optional(),
});

const DcSpacePermission = z.object({
  operation: z.object({ operationKey: z.string(), targetType: z.string() }),
  subject: z.object({ type: z.string(), userKey: z.string().optional(), name: z.string().optional() }),
});

export function createPermissionsApi(site: Site, client: ConfluenceClient): PermissionsApi {
  const { v1 } = siteEndpoints(site);
  return {
    spacePermissions: (space) => (client.cloud ? cloudSpacePermissions(client, space) : dcSpacePermissions(client, v1, space.key)),
    groupMembers: (groupId) => groupMembers(client, v1, groupId),
  };
}

async function cloudSpacePermissions(client: ConfluenceClient, space: { id: string; key: string }): Promise<SpacePermissionRef[]> {
  const all: SpacePermissionRef[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listSpacePermissions({ ...space, name: space.key }, { cursor, limit: SPACE_PERMISSIONS_LIMIT });
    if (!page) throw new ConfluenceError('bad-request', 'the Cloud client returned no space permissions; check --cloud');
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

async function dcSpacePermissions(client: ConfluenceClient, v1: string, key: string): Promise<SpacePermissionRef[]> {
  const url = joinUrl(v1, `/space/${encodeURIComponent(key)}/permissions`);
  const grants = await getJson(client, url, z.array(DcSpacePermission)).catch((err: unknown) => {
    throw explainDcSpacePermissions(err, key);
  });
  return grants.flatMap((g): SpacePermissionRef[] => {
    const id = g.subject.type === 'user' ? g.subject.userKey : g.subject.type === 'group' ? g.subject.name : undefined;
    if (!id) return [];
    return [{ principal: { type: g.subject.type as 'user' | 'group', id }, operation: g.operation.operationKey, targetType: g.operation.targetType }];
  });
}

/** Data Center's answers here are misleading on their own: a 500 means "not a space administrator". */
function explainDcSpacePermissions(err: unknown, key: string): unknown {
  if (!(err instanceof ConfluenceError)) return err;
  if (err.kind === 'server' && err.status === 500) {
    return new ConfluenceError(
      'forbidden',
      `Data Center refused the space permissions of ${key} (500, as it answers callers who are not space administrators, CONFSERVER-99908); make the ingest account an administrator of space ${key}, or set --on-permission-error skip|omit`,
      { status: 500 },
    );
  }
  if (err.kind === 'not-found') {
    return new ConfluenceError(
      'not-found',
      `space permissions of ${key} are not readable (404): reading them needs Confluence Data Center 9.1 or later and a visible space; upgrade, check the space key, or set --on-permission-error skip|omit`,
      { status: 404 },
    );
  }
  return err;
}

async function groupMembers(client: ConfluenceClient, v1: string, groupId: string): Promise<string[]> {
  const path = client.cloud ? `/group/${encodeURIComponent(groupId)}/membersByGroupId` : `/group/${encodeURIComponent(groupId)}/member`;
  const members: string[] = [];
  for (let start = 0; ; ) {
    const page = await getJson(client, joinUrl(v1, path, { start, limit: MEMBERS_LIMIT }), V1Members);
    for (const m of page.results) {
      const id = client.cloud ? m.accountId : m.userKey;
      if (id) members.push(id);
    }
    // Data Center's `next` links are unreliable (CONFSERVER-95272): advance by what came back, and stop on a
    // short page (shorter than the limit the server says it applied) or when there is no next link at all.
    const short = page.results.length < (page.limit ?? MEMBERS_LIMIT);
    if (page.results.length === 0 || short || !page._links?.next) return members;
    start += page.results.length;
  }
}

async function getJson<S extends z.ZodType>(client: ConfluenceClient, url: URL, schema: S): Promise<z.output<S>> {
  const endpoint = `GET ${url.pathname}`;
  const { body, contentType } = await client.download(url.href, MAX_JSON_BYTES);
  const json = parseJsonBody(body.toString('utf8'), contentType);
  if (!json.ok) {
    throw json.problem === 'media-type'
      ? new ConfluenceError('shape', `${endpoint} answered ${json.mediaType}, not JSON; check --url and --cloud/--no-cloud`)
      : new ConfluenceError(
          'network',
          `${endpoint} returned cut-short or malformed JSON (${body.length} bytes); retried, if it persists check proxies between here and the site`,
        );
  }
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(body)';
  throw new ConfluenceError(
    'shape',
    `unexpected response from ${endpoint}: field ${field}: ${issue?.message ?? 'invalid'}; check --url and --cloud/--no-cloud`,
  );
}
