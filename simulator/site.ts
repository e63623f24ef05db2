// The site's data with the lookups and the permission oracle that the HTTP layer and tests share.
import { commentIds, FIRST_COMMENT_ID, label } from './generate-discussion';
import {
  emptyRestriction,
  isPage,
  type SimInclude,
  type SimMacro,
  type SpaceRole,
  type SpaceRoleAssignment,
  type SimComment,
  type SimLabel,
  type RestrictedOperation,
  type Restriction,
  type SimAttachment,
  type SimGroup,
  type SimPage,
  type SimSpace,
  type SimUser,
  type SimFolder,
  type SimTreeItem,
  type SimNode,
  type PermissionTarget,
  type SpaceOperation,
  type SpacePermission,
} from './model';
import { parseCql } from './cql';
import { DEFAULT_ROLES, roleGrants } from './roles';
import { SearchIndex } from './searchIndex';

const MEMO_LIMIT = 5000;

export interface NewPage {
  spaceId: string;
  title: string;
  /** Omit for a top-level page (or for a blog post). */
  parentId?: string;
  type?: SimPage['type'];
  authorId?: string;
}

export interface NewFolder {
  spaceId: string;
  title: string;
  /** A page or folder of the same space; omit for a folder at the top of the space. */
  parentId?: string;
  authorId?: string;
}

/** Principals that hold one space permission. */
export interface Principals {
  userIds: string[];
  groupIds: string[];
}

/** The tenant's role mode as `GET /space-role-mode` reports it. */
export type SpaceRoleMode = 'PRE_ROLES' | 'ROLES_TRANSITION' | 'ROLES';

export interface PageEdit {
  title?: string;
  /** Who made the edit; defaults to the page's author. */
  authorId?: string;
  message?: string;
}

export interface NewComment {
  pageId: string;
  location: SimComment['location'];
  text: string;
  /** Reply to this comment (same page, same location). */
  parentId?: string;
  authorId?: string;
}

export class SimSite {
  readonly users: SimUser[];
  readonly groups: SimGroup[];
  readonly spaces: SimSpace[];
  /** The site's cloud id: OAuth requests go to /ex/confluence/{cloudId}/wiki/... */
  readonly cloudId: string;
  /** Space roles of the tenant (Cloud role-based access). */
  readonly roles: SpaceRole[];
  private readonly mode: 'cloud' | 'dc';
  private readonly pagesById = new Map<string, SimNode>();
  private readonly pagesBySpace = new Map<string, SimNode[]>();
  private readonly childrenById = new Map<string, SimNode[]>();
  private readonly attachmentsById = new Map<string, SimAttachment>();
  private readonly spacesById = new Map<string, SimSpace>();
  private readonly labelsById = new Map<string, SimLabel[]>();
  private readonly commentsByPage = new Map<string, SimComment[]>();
  private readonly commentsById = new Map<string, SimComment>();
  /** Derived lists (visible pages per user and query) are remembered until the site changes. */
  private readonly memo = new Map<string, unknown>();

  /** What CQL search sees: changes show up there searchLagMs after they are made. */
  readonly search: SearchIndex;

  constructor(data: {
    users: SimUser[];
    groups: SimGroup[];
    spaces: SimSpace[];
    pages: SimNode[];
    cloudId: string;
    labels?: Map<string, SimLabel[]>;
    comments?: SimComment[];
    searchLagMs?: number;
    roles?: SpaceRole[];
    mode?: 'cloud' | 'dc';
  }) {
    this.cloudId = data.cloudId;
    this.roles = data.roles ?? DEFAULT_ROLES;
    this.mode = data.mode ?? 'cloud';
    this.search = new SearchIndex(data.searchLagMs ?? 0);
    this.users = data.users;
    this.groups = data.groups;
    this.spaces = data.spaces;
    for (const space of this.spaces) {
      this.spacesById.set(space.id, space);
      this.pagesBySpace.set(space.id, []);
    }
    for (const page of data.pages) this.index(page);
    for (const [pageId, labels] of data.labels ?? []) this.labelsById.set(pageId, labels);
    for (const comment of data.comments ?? []) this.indexComment(comment);
  }

  /**
   * Remember a derived value until the next change made through this class's methods (editPage, addPage,
   * deletePage, setRestriction, setGroupMembers). Change the data through them, not by assigning fields.
   */
  memoize<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
    const value = compute();
    this.memo.set(key, value);
    return value;
  }

  setGroupMembers(groupId: string, userIds: string[]): void {
    const group = this.group(groupId);
    if (!group) throw new Error(`setGroupMembers: no group with id ${groupId}`);
    group.memberIds = [...userIds];
    this.memo.clear();
  }

  /** Every page and blog post, in id order. */
  get pages(): SimPage[] {
    return this.contents.filter(isPage);
  }

  /** Every folder, in id order. */
  get folders(): SimFolder[] {
    return this.contents.filter((p): p is SimFolder => p.type === 'folder');
  }

  /** Pages, blog posts and folders, in id order: what CQL search can find besides comments. */
  get contents(): SimNode[] {
    return [...this.pagesById.values()];
  }

  page(id: string): SimPage | undefined {
    const node = this.pagesById.get(id);
    return node && isPage(node) ? node : undefined;
  }

  folder(id: string): SimFolder | undefined {
    const node = this.pagesById.get(id);
    return node?.type === 'folder' ? (node as SimFolder) : undefined;
  }

  /** A page, blog post or folder. */
  node(id: string): SimNode | undefined {
    return this.pagesById.get(id);
  }

  /** Pages and blog posts of a space, in id order. */
  pagesOf(spaceId: string): SimPage[] {
    return this.nodesOf(spaceId).filter(isPage);
  }

  /** Pages, blog posts and folders of a space, in id order. */
  nodesOf(spaceId: string): SimNode[] {
    return this.pagesBySpace.get(spaceId) ?? [];
  }

  attachment(id: string): SimAttachment | undefined {
    return this.attachmentsById.get(id);
  }

  /** Pages and folders right below a page or folder, in position order. */
  children(pageId: string): SimNode[] {
    return this.childrenById.get(pageId) ?? [];
  }

  space(id: string): SimSpace | undefined {
    return this.spacesById.get(id);
  }

  spaceByKey(key: string): SimSpace | undefined {
    return this.spaces.find((s) => s.key === key);
  }

  user(id: string): SimUser | undefined {
    return this.users.find((u) => u.id === id);
  }

  group(id: string): SimGroup | undefined {
    return this.groups.find((g) => g.id === id);
  }

  /** Ancestors of a page (pages and folders), root first (the order Confluence returns them). */
  ancestors(pageId: string): SimNode[] {
    const chain: SimNode[] = [];
    let current = this.pagesById.get(pageId);
    while (current?.parentId) {
      const parent = this.pagesById.get(current.parentId);
      if (!parent) break;
      chain.unshift(parent);
      current = parent;
    }
    return chain;
  }

  /** Edit a page the way a user would: a new version with a new body and a fresh modification time. */
  editPage(pageId: string, edit: PageEdit = {}): SimPage {
    const page = this.page(pageId);
    if (!page) throw new Error(`editPage: no page with id ${pageId}`);
    return this.newVersion(page, edit);
  }

  /** Edit a whiteboard, database or embed (redraw it, rename it): a new version, as for a page. */
  editTreeItem(id: string, edit: PageEdit = {}): SimTreeItem {
    const item = this.node(id);
    if (!item || isPage(item) || item.type === 'folder')
      throw new Error(`editTreeItem: no whiteboard, database or embed with id ${id}`);
    return this.newVersion(item, edit);
  }

  private newVersion<T extends SimNode>(page: T, edit: PageEdit): T {
    this.search.changing(page, false);
    const previous = Date.parse(page.version.createdAt);
    page.version = {
      number: page.version.number + 1,
      createdAt: new Date(Math.max(Date.now(), previous + 1000)).toISOString(),
      authorId: edit.authorId ?? page.authorId,
      message: edit.message ?? '',
      minorEdit: false,
    };
    if (edit.title !== undefined) page.title = edit.title;
    this.memo.clear();
    return page;
  }

  /** Add a page (no attachments) under a parent, e.g. to build a deep tree for a test. */
  addPage(input: NewPage): SimPage {
    const space = this.spacesById.get(input.spaceId);
    if (!space) throw new Error(`addPage: no space with id ${input.spaceId}`);
    if (input.parentId !== undefined) this.treeParent('addPage', space, input.parentId);
    if (this.pagesOf(space.id).some((p) => p.title === input.title))
      throw new Error(`addPage: space ${space.key} already has a page titled "${input.title}"`);
    return this.insert(input, input.type ?? 'page') as SimPage;
  }

  /** A new node with the next free id, at the end of its parent's children; search sees it searchLagMs later. */
  private insert(input: Omit<NewPage, 'type'>, type: SimNode['type']): SimNode {
    const now = new Date().toISOString();
    const authorId = input.authorId ?? this.users[0].id;
    const node = {
      id: String(Math.max(...[...this.pagesById.keys()].map(Number), 131072) + 1),
      type,
      spaceId: input.spaceId,
      title: input.title,
      parentId: input.parentId ?? null,
      position: input.parentId ? this.children(input.parentId).length : 0,
      authorId,
      createdAt: now,
      status: 'current',
      version: { number: 1, createdAt: now, authorId, message: '', minorEdit: false },
      restrictions: { read: emptyRestriction(), update: emptyRestriction() },
      attachments: [],
    } as SimNode;
    this.index(node);
    this.search.changing(node, true);
    this.memo.clear();
    return node;
  }

  /**
   * Delete a page and purge it from the trash: it is gone from listings and lookups. Its children move up to its
   * parent, as when a Confluence user deletes only the page and not its children.
   */
  deletePage(pageId: string): void {
    const page = this.pagesById.get(pageId);
    if (!page) throw new Error(`deletePage: no page with id ${pageId}`);
    const children = this.children(pageId);
    for (const child of children) child.parentId = page.parentId;
    if (page.parentId)
      this.childrenById.set(page.parentId, [...this.children(page.parentId).filter((p) => p !== page), ...children]);
    this.childrenById.delete(pageId);
    this.pagesById.delete(pageId);
    this.pagesBySpace.set(
      page.spaceId,
      this.pagesOf(page.spaceId).filter((p) => p !== page),
    );
    for (const att of page.attachments) this.attachmentsById.delete(att.id);
    for (const comment of this.commentsOf(pageId)) this.commentsById.delete(comment.id);
    this.commentsByPage.delete(pageId);
    this.labelsById.delete(pageId);
    this.search.forget(pageId);
    this.memo.clear();
  }

  /**
   * Restrict a page, blog post or folder. Like every change below up to addInclude, it makes no new version (Confluence
   * makes none), and search sees it at once.
   */
  setRestriction(pageId: string, operation: RestrictedOperation, restriction: Restriction): void {
    const page = this.pagesById.get(pageId);
    if (!page) throw new Error(`setRestriction: no page with id ${pageId}`);
    page.restrictions[operation] = { userIds: [...restriction.userIds], groupIds: [...restriction.groupIds] };
    this.memo.clear();
  }

  /** Move a page or folder under another page or folder of its space (null: to the top of the space). */
  movePage(pageId: string, newParentId: string | null): SimNode {
    const page = this.pagesById.get(pageId);
    if (!page || page.type === 'blogpost') throw new Error(`movePage: no page or folder with id ${pageId}`);
    const space = this.spacesById.get(page.spaceId)!;
    if (newParentId !== null) {
      this.treeParent('movePage', space, newParentId);
      if (newParentId === pageId || this.ancestors(newParentId).some((a) => a.id === pageId))
        throw new Error(`movePage: ${newParentId} is ${pageId} or below it`);
    }
    if (page.parentId)
      this.childrenById.set(
        page.parentId,
        this.children(page.parentId).filter((p) => p !== page),
      );
    page.parentId = newParentId;
    page.position = newParentId ? this.children(newParentId).length : 0;
    if (newParentId) this.childrenById.set(newParentId, [...this.children(newParentId), page]);
    this.memo.clear();
    return page;
  }

  /** A Cloud folder: it sits in the page tree, holds pages and folders, has no body and can carry restrictions. */
  addFolder(input: NewFolder): SimFolder {
    const space = this.spacesById.get(input.spaceId);
    if (!space) throw new Error(`addFolder: no space with id ${input.spaceId}`);
    if (this.mode !== 'cloud') throw new Error('addFolder: folders exist on Confluence Cloud only');
    if (input.parentId !== undefined) this.treeParent('addFolder', space, input.parentId);
    return this.insert(input, 'folder') as SimFolder;
  }

  /**
   * Replace the principals holding one space permission (default: read, i.e. view the space). In a space in role mode
   * these legacy grants give nothing; use assignRole there.
   */
  setSpacePermission(
    spaceId: string,
    principals: Principals,
    key: SpaceOperation = 'read',
    targetType = 'space',
  ): void {
    const space = this.spacesById.get(spaceId);
    if (!space) throw new Error(`setSpacePermission: no space with id ${spaceId}`);
    let nextId = Math.max(0, ...this.spaces.flatMap((s) => s.permissions.map((p) => Number(p.id))));
    const grant = (type: 'user' | 'group', id: string): SpacePermission => ({
      id: String(++nextId),
      principal: { type, id },
      operation: { key, targetType: targetType as PermissionTarget },
    });
    space.permissions = [
      ...space.permissions.filter((p) => p.operation.key !== key || p.operation.targetType !== targetType),
      ...principals.userIds.map((id) => grant('user', id)),
      ...principals.groupIds.map((id) => grant('group', id)),
    ];
    this.memo.clear();
  }

  /** The tenant's mode: roles nowhere, in some spaces (a transition), or in every space. */
  get roleMode(): SpaceRoleMode {
    const converted = this.spaces.filter((s) => s.roleAssignments).length;
    if (converted === 0) return 'PRE_ROLES';
    return converted === this.spaces.length ? 'ROLES' : 'ROLES_TRANSITION';
  }

  /** Convert a space to role-based access (Cloud), with these assignments; its legacy grants stop counting. */
  setSpaceRoleMode(spaceId: string, assignments: SpaceRoleAssignment[] = []): void {
    const space = this.spacesById.get(spaceId);
    if (!space) throw new Error(`setSpaceRoleMode: no space with id ${spaceId}`);
    if (this.mode !== 'cloud') throw new Error('setSpaceRoleMode: space roles exist on Confluence Cloud only');
    for (const a of assignments) this.role(a.roleId);
    space.roleAssignments = assignments.map((a) => ({ principal: { ...a.principal }, roleId: a.roleId }));
    this.memo.clear();
  }

  /** Give a principal a role in a role-mode space, replacing the one it had; roleId null removes its access. */
  assignRole(spaceId: string, principal: SpaceRoleAssignment['principal'], roleId: string | null): void {
    const space = this.spacesById.get(spaceId);
    if (!space?.roleAssignments) throw new Error(`assignRole: space ${spaceId} is not in role mode`);
    if (roleId !== null) this.role(roleId);
    const others = space.roleAssignments.filter(
      (a) => a.principal.principalType !== principal.principalType || a.principal.principalId !== principal.principalId,
    );
    space.roleAssignments = roleId === null ? others : [...others, { principal: { ...principal }, roleId }];
    this.memo.clear();
  }

  /**
   * Put an Include Page or Excerpt Include macro at the end of a page's body: an edit, so a new version. An Excerpt
   * Include needs an excerpt on its source; when the source has none, its author adds one (a new version of the
   * source). Later changes of the source (edits, restrictions) change what the page shows without a new version.
   */
  addInclude(pageId: string, include: SimInclude): SimPage {
    const page = this.pagesById.get(pageId);
    const source = this.pagesById.get(include.sourcePageId);
    if (!page || !isPage(page)) throw new Error(`addInclude: no page with id ${pageId}`);
    if (!source || !isPage(source)) throw new Error(`addInclude: no page with id ${include.sourcePageId}`);
    if (this.includeClosure(source.id).has(page.id))
      throw new Error(`addInclude: ${source.id} already shows ${page.id}; Confluence cannot render a loop`);
    if (include.macro === 'excerpt-include' && !source.excerpt) {
      source.excerpt = true;
      this.editPage(source.id, { message: 'Add an excerpt' });
    }
    page.includes = [...(page.includes ?? []), { ...include }];
    return this.editPage(page.id, { message: `Add ${include.macro}` });
  }

  /**
   * Put a macro at the end of a page's body (an edit: a new version): Page Properties, a Page Properties Report (what
   * it lists then changes with other pages, without a new version of it) or a Jira issue or JQL table.
   */
  addMacro(pageId: string, macro: SimMacro): SimPage {
    const page = this.pagesById.get(pageId);
    if (!page || !isPage(page)) throw new Error(`addMacro: no page with id ${pageId}`);
    if (macro.macro === 'detailssummary') parseCql(macro.cql);
    // After the edit: search keeps the version it indexed last, without the macro, until it catches up.
    const edited = this.editPage(page.id, { message: `Add ${macro.macro}` });
    edited.macros = [...(page.macros ?? []), structuredClone(macro)];
    return edited;
  }

  /** Link another page's attachment from a page's body (an edit: a new version). */
  addAttachmentLink(pageId: string, attachmentId: string): SimPage {
    const page = this.pagesById.get(pageId);
    if (!page || !isPage(page)) throw new Error(`addAttachmentLink: no page with id ${pageId}`);
    if (!this.attachmentsById.has(attachmentId)) throw new Error(`addAttachmentLink: no attachment ${attachmentId}`);
    page.attachmentLinks = [...(page.attachmentLinks ?? []), attachmentId];
    return this.editPage(page.id, { message: 'Link an attachment' });
  }

  role(id: string): SpaceRole {
    const role = this.roles.find((r) => r.id === id);
    if (!role) throw new Error(`no space role with id ${id}`);
    return role;
  }

  /** Pages whose bodies a page shows through include macros, directly or through their own includes. */
  private includeClosure(pageId: string, seen = new Set<string>()): Set<string> {
    if (seen.has(pageId)) return seen;
    seen.add(pageId);
    for (const inc of this.pagesById.get(pageId)?.includes ?? []) this.includeClosure(inc.sourcePageId, seen);
    return seen;
  }

  /** A page or folder of the space that new or moved content can go under. */
  private treeParent(action: string, space: SimSpace, parentId: string): SimNode {
    const parent = this.pagesById.get(parentId);
    if (!parent || parent.spaceId !== space.id || parent.type === 'blogpost')
      throw new Error(`${action}: ${parentId} is not a page or folder of space ${space.key}`);
    return parent;
  }

  /** A page's labels, by name. */
  labelsOf(pageId: string): SimLabel[] {
    return this.labelsById.get(pageId) ?? [];
  }

  /** Replace a page's labels (a label change makes no new page version, as in Confluence). */
  setLabels(pageId: string, names: string[]): void {
    if (!this.pagesById.has(pageId)) throw new Error(`setLabels: no page with id ${pageId}`);
    this.labelsById.set(pageId, [...new Set(names)].sort().map(label));
    this.memo.clear();
  }

  /** Every comment of a page (threads and replies), in id order. */
  commentsOf(pageId: string): SimComment[] {
    return this.commentsByPage.get(pageId) ?? [];
  }

  comment(id: string): SimComment | undefined {
    return this.commentsById.get(id);
  }

  /** Every comment of the site, in id order. */
  get comments(): SimComment[] {
    return [...this.commentsById.values()];
  }

  /** Replies to a comment, in id order. */
  replies(commentId: string): SimComment[] {
    const comment = this.commentsById.get(commentId);
    return comment ? this.commentsOf(comment.pageId).filter((c) => c.parentId === commentId) : [];
  }

  /** Edit a comment as its author would: a new version with new text; the page's own version does not change. */
  editComment(commentId: string, text: string): SimComment {
    const comment = this.commentsById.get(commentId);
    if (!comment) throw new Error(`editComment: no comment with id ${commentId}`);
    const previous = Date.parse(comment.version.createdAt);
    comment.version = {
      ...comment.version,
      number: comment.version.number + 1,
      createdAt: new Date(Math.max(Date.now(), previous + 1000)).toISOString(),
    };
    comment.text = text;
    this.memo.clear();
    return comment;
  }

  addComment(input: NewComment): SimComment {
    if (!this.pagesById.has(input.pageId)) throw new Error(`addComment: no page with id ${input.pageId}`);
    const parent = input.parentId === undefined ? undefined : this.commentsById.get(input.parentId);
    if (input.parentId !== undefined && parent?.pageId !== input.pageId)
      throw new Error(`addComment: ${input.parentId} is not a comment of page ${input.pageId}`);
    const now = new Date().toISOString();
    const authorId = input.authorId ?? this.users[0].id;
    const start = Math.max(FIRST_COMMENT_ID, ...[...this.commentsById.keys()].map(Number));
    const comment: SimComment = {
      id: commentIds(start).next(),
      pageId: input.pageId,
      location: parent?.location ?? input.location,
      parentId: parent?.id ?? null,
      authorId,
      createdAt: now,
      version: { number: 1, createdAt: now, authorId, message: '', minorEdit: false },
      text: input.text,
      ...(input.location === 'inline' && !parent
        ? {
            inline: {
              selection: input.text.slice(0, 20),
              markerRef: `marker-${start + 1}`,
              resolution: 'open' as const,
            },
          }
        : {}),
    };
    this.indexComment(comment);
    this.memo.clear();
    return comment;
  }

  groupsOf(userId: string): SimGroup[] {
    return this.groups.filter((g) => g.memberIds.includes(userId));
  }

  /** Space permission check: granted to the user directly or through one of their groups. */
  hasSpacePermission(userId: string, spaceId: string, key: string, targetType = 'space'): boolean {
    return this.granted(userId, this.groupIdsOf(userId), spaceId, key, targetType);
  }

  canViewSpace(userId: string, spaceId: string): boolean {
    return this.hasSpacePermission(userId, spaceId, 'read');
  }

  /**
   * The oracle: space read permission (in a role-mode space: a role that carries "read/space") AND the read
   * restrictions of the page and of every ancestor, folders included. Nobody is exempt, the ingest account neither.
   */
  canView(userId: string, pageId: string): boolean {
    const page = this.pagesById.get(pageId);
    if (!page) return false;
    const groupIds = this.groupIdsOf(userId);
    if (!this.granted(userId, groupIds, page.spaceId, 'read', 'space')) return false;
    for (let p: SimNode | undefined = page; p; p = p.parentId ? this.pagesById.get(p.parentId) : undefined) {
      if (!passes(userId, groupIds, p.restrictions.read)) return false;
    }
    return true;
  }

  private groupIdsOf(userId: string): Set<string> {
    return new Set(this.groups.filter((g) => g.memberIds.includes(userId)).map((g) => g.id));
  }

  private granted(userId: string, groupIds: Set<string>, spaceId: string, key: string, targetType: string): boolean {
    const space = this.space(spaceId);
    if (!space) return false;
    if (space.roleAssignments)
      return roleGrants(this.roles, space.roleAssignments, userId, groupIds, `${key}/${targetType}`);
    return space.permissions.some(
      (p) =>
        p.operation.key === key &&
        p.operation.targetType === targetType &&
        (p.principal.type === 'user' ? p.principal.id === userId : groupIds.has(p.principal.id)),
    );
  }

  private indexComment(comment: SimComment): void {
    this.commentsById.set(comment.id, comment);
    const siblings = this.commentsByPage.get(comment.pageId) ?? [];
    siblings.push(comment);
    this.commentsByPage.set(comment.pageId, siblings);
  }

  private index(page: SimNode): void {
    this.pagesById.set(page.id, page);
    this.pagesBySpace.get(page.spaceId)?.push(page);
    for (const att of page.attachments) this.attachmentsById.set(att.id, att);
    if (page.parentId) {
      const siblings = this.childrenById.get(page.parentId) ?? [];
      siblings.push(page);
      this.childrenById.set(page.parentId, siblings);
    }
  }
}

/** An empty restriction (no users, no groups) restricts nothing. */
function passes(userId: string, groupIds: Set<string>, restriction: Restriction): boolean {
  if (restriction.userIds.length === 0 && restriction.groupIds.length === 0) return true;
  return restriction.userIds.includes(userId) || restriction.groupIds.some((gid) => groupIds.has(gid));
}
