// Lightweight references that flow through workflow history: small, no bodies, no secrets.

export interface SpaceRef {
  id: string;
  key: string;
  name: string;
}

export interface PageRef {
  id: string;
  title: string;
  spaceId: string;
  spaceKey: string;
  version: number;
  createdAt?: string;
  modifiedAt?: string;
  /** Absolute URL of the page in the Confluence UI. */
  url: string;
  /** Absent means 'page'. */
  contentType?: ContentType;
  /** Label names, sorted (read with the listing, in batches). */
  labels?: string[];
  /**
   * What besides the version decides whether the page's outputs are current: a digest of its labels and, with
   * --include-comments, its comments' ids and versions (a label or comment edit makes no new page version).
   */
  contentVersion?: string;
}

/** What the API gives of a whiteboard, database or embed: its ref and where it sits in the tree, never its content. */
export interface TreeDocMetadata {
  ref: PageRef;
  /** The page, folder or other tree item it sits under; absent at the top of its space. */
  parent?: { id: string; type?: string };
  /** An embed's target URL. */
  embedUrl?: string;
}

/** One API page of results and the cursor for the next one (undefined when done). */
export interface Listing<T> {
  items: T[];
  next?: string;
}

/**
 * Cloud content of the page tree whose metadata the API gives, never its content (v2 `whiteboards`, `databases`,
 * `embeds`): with --content-types, each becomes a small document of that metadata.
 */
export const TREE_DOC_TYPES = ['whiteboard', 'database', 'embed'] as const;
export type TreeDocType = (typeof TREE_DOC_TYPES)[number];

/** Pages and blog posts are read the same way (endpoints differ on Cloud v2); tree documents have no body. */
export type ContentType = 'page' | 'blogpost' | TreeDocType;

/** What a Cloud space's tree holds besides pages; a folder is a node of the tree, never a document. */
export const TREE_ITEM_TYPES = ['folder', ...TREE_DOC_TYPES] as const;
export type TreeItemType = (typeof TREE_ITEM_TYPES)[number];
export type TreeItemCounts = Partial<Record<TreeItemType, number>>;

/** A tree item the run does not ingest, named so that `explain` can answer for it without asking the site. */
export interface NamedTreeItem {
  id: string;
  type: TreeItemType;
  title: string;
}

/** A tree item and the space it is in. */
export interface TreeItemInSpace extends NamedTreeItem {
  spaceKey: string;
}

/** What --content-types may name, and its default (what runs ingested before it). */
export const CONTENT_TYPE_CHOICES = ['page', ...TREE_DOC_TYPES] as const;
export type ContentTypeChoice = (typeof CONTENT_TYPE_CHOICES)[number];
export const DEFAULT_CONTENT_TYPES: readonly ContentTypeChoice[] = ['page'];

export function isTreeDoc(type: ContentType | undefined): type is TreeDocType {
  return TREE_DOC_TYPES.some((t) => t === type);
}

export interface AttachmentRef {
  id: string;
  /** The page or blog post the file is attached to. */
  pageId: string;
  /** The file name. */
  title: string;
  mediaType?: string;
  fileSize?: number;
  version?: number;
  /** Absolute URL; fetch it with the client's `download` (same credentials). */
  downloadUrl: string;
}

/** A user (Cloud account id, Data Center user key) or a group (Cloud group id, Data Center group name). */
export interface Principal {
  type: 'user' | 'group';
  id: string;
  /** Data Center username or group name, Cloud group name, when the API gives it. */
  name?: string;
}

/** Who a page is restricted to, per operation; empty lists mean "not restricted at this level". */
export interface ContentRestrictions {
  read: Principal[];
  update: Principal[];
}

export interface SpacePermissionRef {
  principal: { type: 'user' | 'group' | 'role'; id: string };
  operation: string;
  targetType: string;
}

/**
 * Where a space's grants were read: the space permissions list (Cloud REST v2, Data Center 9.1+), the space's
 * `expand=permissions` (Data Center before 9.1, where the list answers 404), or, for a Cloud space in role mode, its
 * role assignments and the roles' permissions.
 */
export type SpacePermissionsSource = 'space-permissions-api' | 'space-expand-permissions' | 'space-role-assignments';

export interface SpacePermissions {
  grants: SpacePermissionRef[];
  source: SpacePermissionsSource;
  /** Why holders of some grant were left out (they may read more than emitted, never less). */
  narrowed?: string[];
}

/** A Cloud space role and the space permissions it carries, as ids `<operation>/<targetType>` (e.g. `read/space`). */
export interface SpaceRole {
  id: string;
  name?: string;
  spacePermissions: string[];
}

/** Who holds a role in one space: `USER`, `GROUP` or `ACCESS_CLASS` (a class of users, such as all licensed ones). */
export interface RoleAssignment {
  principal: { type: string; id: string };
  roleId: string;
}

export interface AncestorRef {
  id: string;
  /** Data Center gives titles with ancestors; Cloud v2 gives ids only. */
  title?: string;
}

/** What a page's permissions rest on besides its space: its ancestors and its own restrictions, when known. */
export interface PermissionFacts {
  ancestors?: AncestorRef[];
  restrictions?: ContentRestrictions;
}

export type CommentLocation = 'footer' | 'inline';

/** One comment of a page (a thread's first comment or a reply), with its body as HTML. */
export interface PageComment {
  id: string;
  pageId: string;
  location: CommentLocation;
  /** The comment this one replies to. */
  parentId?: string;
  version: number;
  /** Cloud account id or Data Center user key of the latest version's author. */
  authorId?: string;
  /** Data Center gives when the comment was first written; Cloud v2 only its latest version's time. */
  createdAt?: string;
  modifiedAt?: string;
  /** Inline comments: the text they highlight and whether the thread is resolved. */
  selection?: string;
  resolution?: string;
  /** Absolute URL of the comment in the Confluence UI. */
  url: string;
  /** Storage format on Cloud (what v2 comment lists give), body.view on Data Center. */
  html: string;
}

/** A comment's id and version, from the batched read that decides whether a page's comments changed. */
export interface CommentVersion {
  id: string;
  version: number;
}

/** A page as a batched read returns it: its ref (the space is the listing's) and its rendered body (body.view). */
export interface BatchedPage {
  ref: Omit<PageRef, 'spaceId' | 'spaceKey'>;
  html: string;
}

/** What one batched read tells about a page: its permission facts, and its body when bodies were asked for. */
export interface BatchedContent {
  facts: PermissionFacts;
  page?: BatchedPage;
}

/** A page's body.export_view and the version it is of. */
export interface ExportView {
  version: number;
  html: string;
}

/** A batched read: with bodies or not, and the largest answer to accept (a larger one is split). */
export interface ContentBatchQuery {
  bodies: boolean;
  maxBytes: number;
}
