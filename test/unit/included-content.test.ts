// Text another page lends a page (include, excerpt-include): its elements carry the intersection of every page's
// permissions down the chain, and an include that cannot be resolved is taken out of the body and reported.
import { describe, expect, it } from 'vitest';
import type { PageRef } from '../../src/connectors/confluence/client/types';
import { includedRegions } from '../../src/connectors/confluence/download';
import {
  type IncludeSources,
  type IncludedPage,
  includedContent,
  targetKey,
} from '../../src/connectors/confluence/includes/included';
import { PermissionResolver, type ResolvedPermissions } from '../../src/connectors/confluence/permissions';
import type { DocumentRecord } from '../../src/core/document';
import type { DataSourceMetadata, Element, PermissionsData } from '../../src/core/elements';
import partitionPageTask from '../../src/pipeline/activities/partitionTask';
import type { ChunkingConfig } from '../../src/steps/chunk';

const page = ref('100', 'SP', 'Open page');
const restricted = ref('200', 'SP', 'Restricted');
const third = ref('300', 'OT', 'Third');

const OPEN = grants(['alice', 'bob', 'carol'], ['staff']);
const RESTRICTED = grants(['alice', 'bob'], []);
const THIRD = grants(['dave'], ['staff']);
/** staff: alice and erin; so RESTRICTED ∩ THIRD is alice alone. */
const MEMBERS: Record<string, string[]> = { staff: ['alice', 'erin'] };

const wrapper = (name: string, id: string, inner: string) =>
  `<div class="conf-macro output-block" data-hasbody="false" data-macro-name="${name}" data-macro-id="${id}">${inner}</div>`;
const macro = (name: string, id: string, target: string) =>
  `<ac:structured-macro ac:name="${name}" ac:schema-version="1" ac:macro-id="${id}"><ac:parameter ac:name=""><ac:link>${target}</ac:link></ac:parameter></ac:structured-macro>`;

const VIEW = [
  `<body class='Document'><h1>Open page</h1><p>Own text one.</p>`,
  wrapper('include', 'm1', `<p>Restricted secret text.</p>${wrapper('include', 'm3', '<p>Third page text.</p>')}`),
  `<p>Own text two.</p>`,
  wrapper('excerpt-include', 'm2', '<p>Hidden excerpt text.</p>'),
  wrapper('include', 'm4', '<p>Blog post text.</p>'),
  wrapper('include', 'm5', '<p>Text of a macro the storage lacks.</p>'),
  wrapper('contentbylabel', 'm6', '<ul><li>Listed title</li></ul>'),
  `</body>`,
].join('');

const STORAGE: Record<string, string> = {
  '100': [
    '<p>Own text one.</p>',
    macro('include', 'm1', '<ri:page ri:content-title="Restricted" />'),
    '<p>Own text two.</p>',
    macro('excerpt-include', 'm2', '<ri:page ri:content-title="Hidden" />'),
    macro('include', 'm4', '<ri:blog-post ri:content-title="News" ri:posting-day="2024/01/01" />'),
  ].join(''),
  '200': `<p>Restricted secret text.</p>${macro('include', 'm3', '<ri:page ri:space-key="OT" ri:content-title="Third" />')}`,
  '300': '<p>Third page text.</p>',
};

describe('included content', () => {
  it('gives included text the intersection of the pages down the chain, and leaves out what cannot be resolved', async () => {
    const { sources, asked } = fakeSources();
    const included = (await includedContent(VIEW, page, OPEN, sources))!;

    expect(included.leftOut).toEqual([
      {
        name: 'contentbylabel macro',
        reason: 'left out: it shows pages it finds by a rule, whose permissions it does not name',
      },
      {
        name: 'excerpt-include of SP:Hidden',
        reason: 'left out: the included page is not found or not visible to the ingest account',
      },
      { name: 'include macro m4', reason: 'left out: it names no page (only includes of pages are resolved)' },
      { name: 'include macro m5', reason: 'left out: its macro is not in the storage format of page 100' },
    ]);
    // One storage read for the page, one lookup per level of includes.
    expect(asked).toEqual(['storage 100', 'find SP:Restricted,SP:Hidden', 'find OT:Third']);

    const elements = partition(included);
    expect(elements.map((e) => [e.text, readers(e)])).toEqual([
      ['Open page', OPEN_READERS],
      ['Own text one.', OPEN_READERS],
      ['Restricted secret text.', { users: ['alice', 'bob'], groups: [] }],
      ['Third page text.', { users: ['alice'], groups: [] }],
      ['Own text two.', OPEN_READERS],
    ]);
    const chains = elements.map((e) => e.metadata.data_source?.record_locator?.included_page_ids);
    expect(chains).toEqual([undefined, undefined, ['200'], ['200', '300'], undefined]);
  });

  it('gives an element whose text mixes a region with other text the narrowest permissions', async () => {
    const view = `<body><table><tr><td>Own cell</td><td>${wrapper('include', 'm1', 'Secret cell')}</td></tr></table><p>After.</p></body>`;
    const { sources } = fakeSources({ '100': macro('include', 'm1', '<ri:page ri:content-title="Restricted" />') });
    const elements = partition((await includedContent(view, page, OPEN, sources))!);
    expect(elements.map((e) => [e.text, readers(e)])).toEqual([
      ['Own cell Secret cell', { users: ['alice', 'bob'], groups: [] }],
      ['After.', OPEN_READERS],
    ]);
  });

  it('never puts included text and the page own text in one chunk', async () => {
    const { sources } = fakeSources();
    const elements = partition((await includedContent(VIEW, page, OPEN, sources))!, BASIC);
    expect(elements.map((e) => [e.text, readers(e)])).toEqual([
      ['Open page\n\nOwn text one.', OPEN_READERS],
      ['Restricted secret text.', { users: ['alice', 'bob'], groups: [] }],
      ['Third page text.', { users: ['alice'], groups: [] }],
      ['Own text two.', OPEN_READERS],
    ]);
  });

  it('leaves out an included page whose permissions are unreadable, and a body without includes as it is', async () => {
    const { sources } = fakeSources(STORAGE, { unreadable: '200' });
    const included = (await includedContent(VIEW, page, OPEN, sources))!;
    expect(included.leftOut[1]).toEqual({
      name: 'include of SP:Restricted',
      reason: 'left out: the permissions of included page 200 are unreadable',
    });
    expect(included.html).not.toContain('Restricted secret text');
    expect(included.html).not.toContain('Third page text');
    expect(included.regions.size).toBe(0);
    expect(await includedContent('<body><p>plain</p></body>', page, OPEN, sources)).toBeUndefined();
  });
});

const BASIC: ChunkingConfig = {
  strategy: 'basic',
  maxCharacters: 500,
  // Overlap between chunks would carry the end of one into the next: never across permissions.
  overlap: 10,
  overlapAll: true,
  includeOrigElements: false,
  multipageSections: true,
};
const OPEN_READERS = { users: ['alice', 'bob', 'carol'], groups: ['staff'] };

function readers(e: Element) {
  return e.metadata.data_source?.permissions_data?.[0].read;
}

function partition(
  included: NonNullable<Awaited<ReturnType<typeof includedContent>>>,
  chunking?: ChunkingConfig,
): Element[] {
  const processedAt = new Date('2024-01-01T00:00:00Z');
  const metadata: DataSourceMetadata = { url: page.url, permissions_data: OPEN.permissionsData };
  const document: DocumentRecord = {
    identifier: page.id,
    version: 1,
    displayName: page.title,
    collection: page.spaceKey,
    sourceIdentifiers: { filename: `${page.id}.html`, relativePath: `SP/${page.id}.html` },
    metadata,
    content: { path: '/unused' },
    mediaType: 'text/html',
    ...(included.regions.size ? { regions: includedRegions(page, processedAt, included) } : {}),
  };
  return partitionPageTask({ document, html: included.html, fileDirectory: '/tmp', chunking });
}

function fakeSources(
  storage: Record<string, string> = STORAGE,
  { unreadable }: { unreadable?: string } = {},
): { sources: IncludeSources; asked: string[] } {
  const asked: string[] = [];
  const pages = [restricted, third];
  const resolver = new PermissionResolver(
    {
      ancestors: async () => [],
      restrictions: async () => ({ read: [], update: [] }),
      spacePermissions: async () => ({ grants: [], source: 'space-permissions-api' }),
      spaceRoles: async () => [],
      roleAssignments: async () => [],
      groupMembers: async (id) => MEMBERS[id] ?? [],
    },
    { maxNumMetadataPermissions: 100 },
  );
  const own: Record<string, ResolvedPermissions> = { '200': RESTRICTED, '300': THIRD };
  const sources: IncludeSources = {
    storageOf: async (p) => {
      asked.push(`storage ${p.id}`);
      return storage[p.id];
    },
    find: async (targets) => {
      asked.push(`find ${targets.map(targetKey).join(',')}`);
      const found = new Map<string, IncludedPage>();
      for (const t of targets) {
        const p = pages.find((c) => c.spaceKey === t.spaceKey && c.title === t.title);
        if (p) found.set(targetKey(t), { ref: p, storage: STORAGE[p.id]! });
      }
      return found;
    },
    pagesById: async (ids) => new Map(pages.filter((p) => ids.includes(p.id)).map((p) => [p.id, p])),
    permissionsOf: async (p) => (p.id === unreadable ? undefined : own[p.id]),
    intersect: (a, b) => resolver.intersect(a, b),
  };
  return { sources, asked };
}

function grants(users: string[], groups: string[]): ResolvedPermissions {
  const permissionsData: PermissionsData = [
    { read: { users, groups } },
    { update: { users: [], groups: [] } },
    { delete: { users: [], groups: [] } },
  ];
  return { permissionsData, capped: false };
}

function ref(id: string, spaceKey: string, title: string): PageRef {
  return { id, spaceKey, spaceId: `s-${spaceKey}`, title, version: 1, url: `https://site.example/wiki/x/${id}` };
}
