// Every endpoint the simulator serves answers with JSON that validates against Atlassian's published schema for it:
// Cloud v2 against the v2 spec, Cloud v1 against the current v1 spec where it still has the endpoint and the 2021
// spec where the deprecated reads were dropped, and Data Center's v1 reads against the 2021 spec (the nearest
// published shapes; there is no Data Center OpenAPI file).
//
// Allowed null, and nowhere else: recorded real Cloud responses carry null where the v2 spec declares a plain value
// (BRIEF.md): page parentId and parentType (root pages), space description and icon, attachment mediaTypeDescription;
// and, by analogy with root pages, a root folder's parentId and parentType.
// (page lastOwnerId is nullable in the spec already.)
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '..';

// Atlassian's published specs, vendored unmodified (see fixtures/confluence-api/SOURCES.md).
const SPECS = join(__dirname, '..', '..', 'test', 'fixtures', 'confluence-api');
type Spec = { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
const load = (file: string) => JSON.parse(readFileSync(join(SPECS, file), 'utf8')) as Spec;

const NULL_ALLOWED: Record<string, string[]> = {
  PageBulk: ['parentId', 'parentType'],
  PageSingle: ['parentId', 'parentType'],
  SpaceBulk: ['description', 'icon'],
  SpaceSingle: ['description', 'icon'],
  AttachmentBulk: ['mediaTypeDescription'],
  AttachmentSingle: ['mediaTypeDescription'],
  // A folder at the top of a space, by analogy with a root page (no recorded response; unverified).
  FolderSingle: ['parentId', 'parentType'],
  // The same for whiteboards, databases and Smart Links at the top of a space (unverified).
  WhiteboardSingle: ['parentId', 'parentType'],
  DatabaseSingle: ['parentId', 'parentType'],
  SmartLinkSingle: ['parentId', 'parentType'],
};

function allowRecordedNulls(spec: Spec): Spec {
  for (const [schema, props] of Object.entries(NULL_ALLOWED)) {
    for (const prop of props) {
      const properties = spec.components.schemas[schema].properties;
      if (!(prop in properties)) throw new Error(`spec has no ${schema}.${prop}: update NULL_ALLOWED`);
      properties[prop] = { anyOf: [properties[prop], { type: 'null' }] };
    }
  }
  return spec;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('string', true);
  return ajv;
}

const ajv = makeAjv();
ajv.addSchema(allowRecordedNulls(load('confluence-cloud-v2.openapi-v2.v3.json')), 'v2');
ajv.addSchema(load('confluence-cloud-v1.swagger.v3.json'), 'v1');
ajv.addSchema(load('confluence-cloud-v1-legacy-2021.swagger.v3.json'), 'legacy');

/** The 200 JSON schema of GET `path` in a spec, by JSON pointer. */
function responseSchema(spec: 'v2' | 'v1' | 'legacy', path: string): ValidateFunction {
  const pointer = ['paths', path, 'get', 'responses', '200', 'content', 'application/json', 'schema']
    .map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')))
    .join('/');
  const validate = ajv.getSchema(`${spec}#/${pointer}`);
  if (!validate) throw new Error(`no schema for GET ${path} in ${spec}`);
  return validate;
}

/** What the download step's batched read asks a CQL search to expand (connectors/confluence/client/v1.ts). */
const BATCH_EXPAND = [
  'ancestors',
  ...['read', 'update'].flatMap((op) => [
    `restrictions.${op}.restrictions.user`,
    `restrictions.${op}.restrictions.group`,
  ]),
  'body.view',
  'version',
  'history',
].join(',');

interface Case {
  spec: 'v2' | 'v1' | 'legacy';
  specPath: string;
  url: string;
}

async function check(sim: RunningSimulator, authorization: string, c: Case): Promise<void> {
  const res = await fetch(`${sim.origin}${c.url}`, { headers: { authorization } });
  expect(res.status, c.url).toBe(200);
  expect(res.headers.get('content-type'), c.url).toMatch(/^application\/json/);
  const body: unknown = await res.json();
  const validate = responseSchema(c.spec, c.specPath);
  const ok = validate(body);
  expect(
    ok ? [] : validate.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`),
    `${c.url} vs ${c.spec} ${c.specPath}`,
  ).toEqual([]);
}

describe('simulator fidelity: Cloud', () => {
  let sim: RunningSimulator;
  let auth: string;
  const cases: Case[] = [];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 5,
      spaces: 2,
      pagesPerSpace: 12,
      blogpostsPerSpace: 3,
      permissions: 'restricted',
      personalSpaces: 1,
    });
    auth = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.apiToken}`).toString('base64')}`;
    const { site } = sim;
    const space = site.spaces[0];
    const root = site.page(space.homepageId)!;
    const child = site.pages.find((p) => p.type === 'page' && p.parentId !== null && p.attachments.length > 0)!;
    const post = site.pages.find((p) => p.type === 'blogpost' && p.attachments.length > 0)!;
    const restricted = site.pages.find((p) => p.restrictions.read.groupIds.length > 0)!;
    const group = site.group(restricted.restrictions.read.groupIds[0])!;
    const footer = site.comments.find(
      (c) => c.location === 'footer' && c.parentId === null && site.replies(c.id).length > 0,
    )!;
    const inline = site.comments.find((c) => c.location === 'inline' && c.parentId === null)!;
    const labelled = site.pages.find((p) => site.labelsOf(p.id).length > 0)!;
    const v2 = (specPath: string, url: string): Case => ({ spec: 'v2', specPath, url: `/wiki/api/v2${url}` });
    const v1 = (spec: 'v1' | 'legacy', specPath: string, url: string): Case => ({
      spec,
      specPath: `/wiki/rest/api${specPath}`,
      url: `/wiki/rest/api${url}`,
    });
    cases.push(
      v2('/spaces', '/spaces?limit=2'),
      v2('/spaces/{id}', `/spaces/${space.id}`),
      v2('/spaces/{id}/pages', `/spaces/${space.id}/pages?limit=4&body-format=storage`),
      v2('/spaces/{id}/blogposts', `/spaces/${space.id}/blogposts`),
      v2('/spaces/{id}/permissions', `/spaces/${space.id}/permissions?limit=5`),
      v2('/pages', '/pages?limit=30'),
      v2('/pages/{id}', `/pages/${root.id}?body-format=view&include-labels=true`),
      v2('/pages/{id}', `/pages/${child.id}?body-format=storage`),
      v2('/blogposts', '/blogposts?limit=3'),
      v2('/blogposts/{id}', `/blogposts/${post.id}?body-format=view`),
      v2('/pages/{id}/attachments', `/pages/${child.id}/attachments`),
      v2('/blogposts/{id}/attachments', `/blogposts/${post.id}/attachments`),
      v2('/attachments/{id}', `/attachments/${child.attachments[0].id}`),
      v2('/pages/{id}/ancestors', `/pages/${child.id}/ancestors`),
      v2('/pages/{id}/children', `/pages/${root.id}/children`),
      v2('/pages/{id}/footer-comments', `/pages/${footer.pageId}/footer-comments?body-format=storage`),
      v2('/pages/{id}/inline-comments', `/pages/${inline.pageId}/inline-comments?body-format=storage`),
      v2('/footer-comments/{id}/children', `/footer-comments/${footer.id}/children?body-format=storage&limit=1`),
      v2('/pages/{id}/labels', `/pages/${labelled.id}/labels`),
      v1(
        'v1',
        '/content/search',
        `/content/search?cql=${encodeURIComponent(`type = comment and container in (${footer.pageId},${inline.pageId})`)}&expand=version,container`,
      ),
      v1(
        'legacy',
        '/content/{id}/child/comment',
        `/content/${footer.pageId}/child/comment?depth=all&expand=body.storage,version,history,ancestors`,
      ),
      v1('legacy', '/content/{id}/label', `/content/${labelled.id}/label`),
      v1('legacy', '/content', `/content?spaceKey=${space.key}&limit=5&expand=version,metadata.labels`),
      v1(
        'v1',
        '/content/search',
        `/content/search?cql=${encodeURIComponent(`space = ${space.key}`)}&limit=5&expand=version,space`,
      ),
      v1(
        'v1',
        '/content/search',
        `/content/search?cql=${encodeURIComponent(`id in (${root.id},${child.id},${restricted.id})`)}&limit=50&expand=${BATCH_EXPAND}`,
      ),
      v1(
        'v1',
        '/content/{id}/restriction/byOperation',
        `/content/${restricted.id}/restriction/byOperation?expand=restrictions.user,restrictions.group`,
      ),
      v1(
        'v1',
        '/content/{id}/restriction/byOperation/{operationKey}',
        `/content/${restricted.id}/restriction/byOperation/read`,
      ),
      v1('v1', '/group/{groupId}/membersByGroupId', `/group/${group.id}/membersByGroupId`),
      v1('v1', '/user/current', '/user/current'),
      v1('v1', '/user', `/user?accountId=${encodeURIComponent(site.users[1].id)}`),
      v1('v1', '/group', '/group'),
      v1('legacy', '/space', '/space?limit=10&expand=description,icon,homepage'),
      v1('legacy', '/space/{spaceKey}', `/space/${space.key}`),
      v1('legacy', '/content', `/content?spaceKey=${space.key}&limit=5&expand=version,space,history`),
      v1(
        'legacy',
        '/content/{id}',
        `/content/${child.id}?expand=body.view,body.storage,version,ancestors,space,history,restrictions.read.restrictions.user,restrictions.read.restrictions.group`,
      ),
      v1('legacy', '/content/{id}/child/attachment', `/content/${child.id}/child/attachment?expand=version,container`),
      v1('legacy', '/content/{id}/child/{type}', `/content/${root.id}/child/page`),
    );
  });
  afterAll(() => sim.close());

  it('validates every Cloud endpoint against its published schema', async () => {
    for (const c of cases) await check(sim, auth, c);
    expect(cases.length).toBe(37);
  });

  it('needs the null allowance only where BRIEF says real responses differ from the spec', async () => {
    const strict = makeAjv();
    strict.addSchema(load('confluence-cloud-v2.openapi-v2.v3.json'), 'v2');
    const validate = strict.getSchema(`v2#/components/schemas/PageBulk`)!;
    const res = await fetch(`${sim.url}/wiki/api/v2/pages/${sim.site.spaces[0].homepageId}`, {
      headers: { authorization: auth },
    });
    expect(validate(await res.json())).toBe(false);
    expect(new Set(validate.errors!.map((e) => e.instancePath))).toEqual(new Set(['/parentId', '/parentType']));
  });
});

describe('simulator fidelity: Data Center (2021 v1 shapes)', () => {
  let sim: RunningSimulator;
  let auth: string;
  const cases: Case[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ mode: 'dc', seed: 5, spaces: 2, pagesPerSpace: 12, permissions: 'restricted' });
    auth = `Bearer ${sim.credentials.pat}`;
    const { site } = sim;
    const space = site.spaces[0];
    const page = site.pages.find((p) => p.parentId !== null && p.attachments.length > 0)!;
    const restricted = site.pages.find((p) => p.restrictions.read.groupIds.length > 0)!;
    const group = site.group(restricted.restrictions.read.groupIds[0])!;
    const discussed = site.pages.find((p) =>
      site.commentsOf(p.id).some((c) => c.parentId !== null && c.location === 'inline'),
    )!;
    const dc = (specPath: string, url: string): Case => ({
      spec: 'legacy',
      specPath: `/wiki/rest/api${specPath}`,
      url: `/confluence/rest/api${url}`,
    });
    cases.push(
      dc('/space', '/space?limit=10'),
      dc('/space/{spaceKey}', `/space/${space.key}?expand=homepage`),
      dc('/content', `/content?spaceKey=${space.key}&limit=5&expand=version`),
      dc('/content/{id}', `/content/${page.id}?expand=body.view,version,space,history,ancestors`),
      dc('/content/{id}/child/attachment', `/content/${page.id}/child/attachment?expand=version`),
      dc('/content/{id}/child/{type}', `/content/${space.homepageId}/child/page`),
      dc(
        '/content/{id}/restriction/byOperation',
        `/content/${restricted.id}/restriction/byOperation?expand=restrictions.user,restrictions.group`,
      ),
      dc('/content/search', `/content/search?cql=${encodeURIComponent('type = page')}&limit=5&expand=version,space`),
      dc(
        '/content/search',
        `/content/search?cql=${encodeURIComponent(`id in (${page.id},${restricted.id})`)}&limit=50&expand=${BATCH_EXPAND}`,
      ),
      dc('/group/{groupName}/member', `/group/${group.name}/member`),
      dc('/user/current', '/user/current'),
      dc('/group', '/group'),
      dc(
        '/content/{id}/child/comment',
        `/content/${discussed.id}/child/comment?depth=all&expand=body.view,version,history,ancestors,container`,
      ),
      dc('/content', `/content?spaceKey=${space.key}&limit=5&expand=version,metadata.labels`),
      dc(
        '/content/search',
        `/content/search?cql=${encodeURIComponent(`type = comment and container = ${discussed.id}`)}&expand=version,container`,
      ),
    );
  });
  afterAll(() => sim.close());

  it('validates every Data Center endpoint against the 2021 v1 schemas', async () => {
    for (const c of cases) await check(sim, auth, c);
    expect(cases.length).toBe(15);
  });
});

describe('simulator fidelity: Data Center 8.5 (no space permissions endpoint)', () => {
  let sim: RunningSimulator;
  let auth: string;
  beforeAll(async () => {
    sim = await startSimulator({
      mode: 'dc',
      dcVersion: '8.5',
      seed: 5,
      spaces: 2,
      pagesPerSpace: 12,
      permissions: 'restricted',
    });
    auth = `Bearer ${sim.credentials.pat}`;
  });
  afterAll(() => sim.close());

  it('serves a space with expand=permissions in the 2021 v1 shape, users and groups as subjects', async () => {
    const space = sim.site.spaces[0];
    await check(sim, auth, {
      spec: 'legacy',
      specPath: '/wiki/rest/api/space/{spaceKey}',
      url: `/confluence/rest/api/space/${space.key}?expand=permissions`,
    });
    const res = await fetch(`${sim.url}/rest/api/space/${space.key}?expand=permissions`, {
      headers: { authorization: auth },
    });
    const body = (await res.json()) as {
      permissions: Array<{ subjects: { user?: unknown; group?: unknown } }>;
      _expandable: object;
    };
    expect(body.permissions.length).toBe(space.permissions.length);
    expect(body.permissions.some((p) => p.subjects.user)).toBe(true);
    expect(body.permissions.some((p) => p.subjects.group)).toBe(true);
    expect(body._expandable).not.toHaveProperty('permissions');
  });

  it('answers 404 for GET /rest/api/space/{key}/permissions, as 8.x does', async () => {
    const res = await fetch(`${sim.url}/rest/api/space/${sim.site.spaces[0].key}/permissions`, {
      headers: { authorization: auth },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404 });
  });
});

describe('simulator fidelity: Cloud folders, roles and includes (issue 22)', () => {
  let sim: RunningSimulator;
  let auth: string;
  const cases: Case[] = [];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 22,
      spaces: 3,
      pagesPerSpace: 12,
      permissions: 'restricted',
      foldersPerSpace: 2,
      includes: true,
      roleModeSpaces: 1,
    });
    auth = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.apiToken}`).toString('base64')}`;
    const { site } = sim;
    const roleSpace = site.spaces.find((s) => s.roleAssignments)!;
    const root = site.folders.find((f) => f.parentId === null)!;
    const inFolder = site.pages.find((p) => p.parentId !== null && site.folder(p.parentId) !== undefined)!;
    const includer = site.pages.find((p) => p.includes?.length)!;
    const v2 = (specPath: string, url: string): Case => ({ spec: 'v2', specPath, url: `/wiki/api/v2${url}` });
    const legacy = (specPath: string, url: string): Case => ({
      spec: 'legacy',
      specPath: `/wiki/rest/api${specPath}`,
      url: `/wiki/rest/api${url}`,
    });
    cases.push(
      v2('/space-role-mode', '/space-role-mode'),
      v2('/space-roles', '/space-roles'),
      v2('/space-roles', `/space-roles?space-id=${roleSpace.id}&principal-type=USER&principal-id=${site.users[0].id}`),
      v2('/space-roles/{id}', `/space-roles/${site.roles[0].id}`),
      v2('/spaces/{id}/role-assignments', `/spaces/${roleSpace.id}/role-assignments`),
      v2('/spaces/{id}/permissions', `/spaces/${roleSpace.id}/permissions?limit=30`),
      v2('/folders/{id}', `/folders/${root.id}`),
      v2('/folders/{id}', `/folders/${site.folders.find((f) => f.parentId !== null)!.id}`),
      v2('/folders/{id}/ancestors', `/folders/${root.id}/ancestors`),
      v2('/folders/{id}/direct-children', `/folders/${inFolder.parentId}/direct-children`),
      v2('/folders/{id}/descendants', `/folders/${inFolder.parentId}/descendants?depth=3`),
      v2('/pages/{id}/direct-children', `/pages/${site.spaces[0].homepageId}/direct-children`),
      v2('/pages/{id}/descendants', `/pages/${site.spaces[0].homepageId}/descendants?limit=5`),
      v2('/pages/{id}/ancestors', `/pages/${inFolder.id}/ancestors`),
      v2('/pages/{id}', `/pages/${inFolder.id}`),
      v2('/pages/{id}', `/pages/${includer.id}?body-format=view`),
      legacy('/content/{id}', `/content/${inFolder.id}?expand=ancestors,body.view,body.storage,version`),
      legacy('/content/{id}', `/content/${root.id}?expand=restrictions.read.restrictions.user,version`),
    );
  });
  afterAll(() => sim.close());

  it('validates folders, space roles and pages with includes against the published schemas', async () => {
    for (const c of cases) await check(sim, auth, c);
  });
});

describe('simulator fidelity: Cloud whiteboards, databases and embeds (issue 24)', () => {
  let sim: RunningSimulator;
  let auth: string;
  const cases: Case[] = [];
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 24,
      spaces: 2,
      pagesPerSpace: 12,
      permissions: 'restricted',
      foldersPerSpace: 1,
      treeItemsPerSpace: 6,
      liveDocsPerSpace: 2,
    });
    auth = `Basic ${Buffer.from(`${sim.credentials.username}:${sim.credentials.apiToken}`).toString('base64')}`;
    const v2 = (specPath: string, url: string): Case => ({ spec: 'v2', specPath, url: `/wiki/api/v2${url}` });
    const live = sim.site.pages.find((p) => p.subtype === 'live')!;
    cases.push(
      v2('/pages/{id}', `/pages/${live.id}?body-format=storage`),
      v2('/spaces/{id}/pages', `/spaces/${live.spaceId}/pages?subtype=live`),
    );
    for (const type of ['whiteboard', 'database', 'embed'] as const) {
      const items = sim.site.contents.filter((n) => n.type === type);
      const nested = items.find((n) => n.parentId !== null)!;
      const top = items.find((n) => n.parentId === null);
      cases.push(
        v2(`/${type}s/{id}`, `/${type}s/${nested.id}`),
        ...(top ? [v2(`/${type}s/{id}`, `/${type}s/${top.id}`)] : []),
        v2(`/${type}s/{id}/ancestors`, `/${type}s/${nested.id}/ancestors`),
        v2(`/${type}s/{id}/direct-children`, `/${type}s/${nested.id}/direct-children`),
        v2(`/${type}s/{id}/descendants`, `/${type}s/${nested.id}/descendants`),
        v2(
          '/pages/{id}/direct-children',
          `/${sim.site.folder(nested.parentId!) ? 'folders' : 'pages'}/${nested.parentId}/direct-children`,
        ),
      );
    }
  });
  afterAll(() => sim.close());

  it('validates them, and their place among the children of pages and folders, against the published schemas', async () => {
    for (const c of cases) await check(sim, auth, c);
    const embed = sim.site.contents.find((n) => n.type === 'embed')!;
    const res = await fetch(`${sim.url}/wiki/api/v2/embeds/${embed.id}`, { headers: { authorization: auth } });
    expect(((await res.json()) as { embedUrl?: string }).embedUrl).toMatch(/^https:\/\//);
    const space = sim.site.spaces[0];
    const liveOnly = await fetch(`${sim.url}/wiki/api/v2/spaces/${space.id}/pages?subtype=live`, {
      headers: { authorization: auth },
    });
    const found = ((await liveOnly.json()) as { results: { id: string; subtype?: string }[] }).results;
    expect(found.map((p) => p.subtype)).toEqual(['live', 'live']);
  });
});

describe('simulator fidelity: bodies with late macros, export_view and styled_view (issue 24)', () => {
  for (const mode of ['cloud', 'dc'] as const) {
    it(`validates the reads of a page with a report and Jira macros against the published schemas (${mode})`, async () => {
      const sim = await startSimulator({ mode, seed: 24, spaces: 1, pagesPerSpace: 6 });
      try {
        const [listed, report] = sim.site.pages.filter((p) => p.type === 'page');
        sim.site.setLabels(listed!.id, ['service']);
        sim.site.addMacro(listed!.id, { macro: 'details', properties: [['Owner', 'Ops']] });
        sim.site.addMacro(report!.id, { macro: 'detailssummary', cql: 'label = "service"', headings: ['Owner'] });
        sim.site.addMacro(report!.id, { macro: 'jira', key: 'OPS-1' });
        sim.site.addMacro(report!.id, { macro: 'jira', jql: 'project = OPS' });
        const cql = encodeURIComponent(`id in (${listed!.id},${report!.id})`);
        const search = `/content/search?cql=${cql}&expand=body.export_view,body.view,version`;
        const content = `/content/${report!.id}?expand=body.export_view,body.styled_view,body.storage,version`;
        const v1 = (specPath: string, url: string): Case => ({
          spec: mode === 'cloud' && specPath === '/content/search' ? 'v1' : 'legacy',
          specPath: `/wiki/rest/api${specPath}`,
          url: `${mode === 'cloud' ? '/wiki' : '/confluence'}/rest/api${url}`,
        });
        const cases = [v1('/content/search', search), v1('/content/{id}', content)];
        for (const format of mode === 'cloud' ? ['export_view', 'styled_view'] : []) {
          cases.push({
            spec: 'v2',
            specPath: '/pages/{id}',
            url: `/wiki/api/v2/pages/${report!.id}?body-format=${format}`,
          });
        }
        const user = sim.site.users[0]!;
        const credentials = mode === 'cloud' ? `${user.email}:${user.apiToken}` : `${user.username}:${user.password}`;
        for (const c of cases) await check(sim, `Basic ${Buffer.from(credentials).toString('base64')}`, c);
      } finally {
        await sim.close();
      }
    });
  }
});
