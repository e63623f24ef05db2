// REST v1 pieces both deployments use: content -> PageRef, page restrictions, CQL search results.
import type { z } from 'zod';
import { ConfluenceError } from './errors';
import type { Transport } from './http';
import { checkContentId, uiUrl } from './refs';
import { V1RestrictionsByOperation, type V1Content } from './schemas';
import type { ContentRestrictions, ContentType, PageRef, Principal, SpaceRef } from './types';
import { joinUrl } from './url';

export function v1PageRef(c: z.output<typeof V1Content>, space: SpaceRef, uiBase: string): PageRef {
  return {
    id: c.id,
    title: c.title,
    spaceId: space.id,
    spaceKey: space.key,
    version: c.version.number,
    modifiedAt: c.version.when,
    url: uiUrl(uiBase, c._links.webui),
    contentType: asContentType(c.type),
  };
}

export function asContentType(type: string): ContentType | undefined {
  return type === 'page' || type === 'blogpost' ? type : undefined;
}

export async function v1Restrictions(http: Transport, v1: string, pageId: string): Promise<ContentRestrictions> {
  const url = joinUrl(v1, `/content/${checkContentId(pageId)}/restriction/byOperation`, { expand: 'restrictions.user,restrictions.group' });
  const { data } = await http.getJson(url, V1RestrictionsByOperation);
  const endpoint = `GET ${url.pathname}`;
  return { read: principals(data.read, endpoint), update: principals(data.update, endpoint) };
}

type OperationRestrictions = z.output<typeof V1RestrictionsByOperation>['read'];

function principals(op: OperationRestrictions, endpoint: string): Principal[] {
  const users = (op?.restrictions.user?.results ?? []).map((u): Principal => {
    const id = u.accountId ?? u.userKey;
    if (!id) throw new ConfluenceError('shape', `unexpected response from ${endpoint}: field restrictions.user.results: a user has neither accountId nor userKey; check --cloud/--no-cloud`);
    return { type: 'user', id, ...(u.username ? { name: u.username } : {}) };
  });
  const groups = (op?.restrictions.group?.results ?? []).map((g): Principal => ({ type: 'group', id: g.id ?? g.name, name: g.name }));
  return [...users, ...groups];
}
