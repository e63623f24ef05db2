// Cloud folders (option foldersPerSpace): folders at the top of each space or under a page, holding some of its pages,
// the first one restricted when permissions are restricted. A generator of its own, so sites without folders are
// generated exactly as before.
import { emptyRestriction, type SimFolder, type SimPage, type SimSpace, type SimUser } from './model';
import { Rng } from './rng';

export function generateFolders(
  seed: number,
  perSpace: number,
  spaces: SimSpace[],
  pages: SimPage[],
  users: SimUser[],
  restricted: boolean,
): SimFolder[] {
  const rng = Rng.derive(seed, 'folders');
  const byId = new Map(pages.map((p) => [p.id, p]));
  let nextId = Math.max(...pages.map((p) => Number(p.id)));
  const folders: SimFolder[] = [];
  for (const space of spaces) {
    const tree = pages.filter((p) => p.spaceId === space.id && p.type === 'page');
    for (let i = 0; i < perSpace; i++) {
      const parent = rng.chance(0.5) ? rng.pick(tree) : undefined;
      const createdAt = parent?.createdAt ?? tree[0].createdAt;
      const authorId = rng.pick(users).id;
      const folder: SimFolder = {
        id: String((nextId += rng.int(1, 4))),
        type: 'folder',
        spaceId: space.id,
        title: `${space.name} folder ${i + 1}`,
        parentId: parent?.id ?? null,
        position: 0,
        authorId,
        createdAt,
        status: 'current',
        version: { number: 1, createdAt, authorId, message: '', minorEdit: false },
        restrictions: { read: emptyRestriction(), update: emptyRestriction() },
        attachments: [],
      };
      if (restricted && i === 0) folder.restrictions.read = { userIds: [users[0].id], groupIds: [] };
      folders.push(folder);
      // A page above the folder cannot move into it; the others move with their subtrees.
      const above = new Set<string>();
      for (let p = parent; p; p = p.parentId ? byId.get(p.parentId) : undefined) above.add(p.id);
      const movable = tree.filter((p) => p.parentId !== null && !above.has(p.id));
      rng.sample(movable, Math.min(movable.length, rng.int(1, 3))).forEach((page, position) => {
        page.parentId = folder.id;
        page.position = position;
      });
    }
  }
  return folders;
}
