// Cloud whiteboards, databases and Smart Links in the content tree (option treeItemsPerSpace): at the top of a space,
// under a page or under a folder, the first of each space restricted when permissions are restricted. A generator of
// its own, so sites without them are generated exactly as before.
import { emptyRestriction, type SimNode, type SimSpace, type SimTreeItem, type SimUser } from './model';
import { Rng } from './rng';

const KINDS = ['whiteboard', 'database', 'embed'] as const;
const NOUNS = { whiteboard: 'whiteboard', database: 'tracker', embed: 'link' } as const;
/** What people put in Smart Links in the tree: designs, documents, videos, dashboards. */
const EMBED_URLS = [
  'https://www.figma.com/file/k3Xb9Yq2/Checkout-flow',
  'https://docs.google.com/spreadsheets/d/1aBcD2eFgH3iJkL/edit',
  'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
  'https://grafana.example.com/d/ops-overview/operations',
  'https://www.loom.com/share/6a1b2c3d4e5f',
];

export function generateTreeItems(
  seed: number,
  perSpace: number,
  spaces: SimSpace[],
  nodes: SimNode[],
  users: SimUser[],
  restricted: boolean,
): SimTreeItem[] {
  const rng = Rng.derive(seed, 'tree-items');
  let nextId = Math.max(...nodes.map((n) => Number(n.id)));
  const items: SimTreeItem[] = [];
  for (const space of spaces) {
    const parents = nodes.filter((n) => n.spaceId === space.id && (n.type === 'page' || n.type === 'folder'));
    for (let i = 0; i < perSpace; i++) {
      const type = KINDS[i % KINDS.length];
      const parent = rng.chance(0.7) ? rng.pick(parents) : undefined;
      const createdAt = parent?.createdAt ?? parents[0].createdAt;
      const authorId = rng.pick(users).id;
      const item: SimTreeItem = {
        id: String((nextId += rng.int(1, 4))),
        type,
        spaceId: space.id,
        title: `${space.name} ${NOUNS[type]} ${i + 1}`,
        parentId: parent?.id ?? null,
        position: 100 + i,
        authorId,
        createdAt,
        status: 'current',
        version: { number: rng.int(1, 5), createdAt, authorId, message: '', minorEdit: false },
        restrictions: { read: emptyRestriction(), update: emptyRestriction() },
        attachments: [],
        ...(type === 'embed' ? { embedUrl: rng.pick(EMBED_URLS) } : {}),
      };
      if (restricted && i === 0) item.restrictions.read = { userIds: [users[0].id], groupIds: [] };
      items.push(item);
    }
  }
  return items;
}
