// The simulated site as data: users, groups, spaces with permissions, page trees with restrictions, attachments.
// Identities are internal ids; the HTTP layer renders them as Cloud account ids or Data Center user keys.

export interface SimUser {
  /** Cloud account id; also the internal id. */
  id: string;
  /** Data Center user key (32 hex digits). */
  userKey: string;
  /** Data Center login name. */
  username: string;
  email: string;
  displayName: string;
  apiToken: string;
  password: string;
  pat: string;
  /** OAuth 2.0 (3LO) access token, accepted only through the gateway path /ex/confluence/{cloudId}. */
  oauthToken: string;
  /**
   * Cloud API token with scopes: it looks like a classic one but Atlassian accepts it only through the gateway
   * (api.atlassian.com/ex/confluence/{cloudId}), with Basic email:token.
   */
  scopedApiToken: string;
}

export interface SimGroup {
  /** Cloud group id (uuid). Data Center identifies groups by name. */
  id: string;
  name: string;
  memberIds: string[];
}

export type RestrictedOperation = 'read' | 'update';

/** Principals named by a restriction; an empty restriction (no users, no groups) means "not restricted". */
export interface Restriction {
  userIds: string[];
  groupIds: string[];
}

export type SpaceOperation = 'read' | 'create' | 'update' | 'delete' | 'administer' | 'export' | 'restrict_content';
export type PermissionTarget = 'space' | 'page' | 'blogpost' | 'comment' | 'attachment';

export interface SpacePermission {
  id: string;
  principal: { type: 'user' | 'group'; id: string };
  operation: { key: SpaceOperation; targetType: PermissionTarget };
}

/** A Cloud space role (role-based access control); its permissions are ids such as "read/space". */
export interface SpaceRole {
  id: string;
  type: 'SYSTEM' | 'CUSTOM';
  name: string;
  description: string;
  spacePermissions: string[];
}

/** ACCESS_CLASS principals name classes of users, e.g. "all-licensed-users". */
export type RolePrincipalType = 'USER' | 'GROUP' | 'ACCESS_CLASS';

export interface SpaceRoleAssignment {
  principal: { principalType: RolePrincipalType; principalId: string };
  roleId: string;
}

export interface SimSpace {
  id: string;
  key: string;
  name: string;
  type: 'global' | 'personal';
  status: 'current' | 'archived';
  authorId: string;
  createdAt: string;
  homepageId: string;
  permissions: SpacePermission[];
  /**
   * Present when the space is in role mode (Cloud): access comes from these assignments and the roles' permissions, and
   * the legacy `permissions` no longer grant anything.
   */
  roleAssignments?: SpaceRoleAssignment[];
}

export interface SimAttachment {
  id: string;
  pageId: string;
  title: string;
  mediaType: string;
  createdAt: string;
  version: number;
  comment: string;
  fileId: string;
}

export interface SimVersion {
  number: number;
  createdAt: string;
  authorId: string;
  message: string;
  minorEdit: boolean;
}

/** Text drawn from another page when the body is rendered: the Include Page or the Excerpt Include macro. */
export interface SimInclude {
  macro: 'include' | 'excerpt-include';
  sourcePageId: string;
}

/**
 * A macro whose output Confluence builds from outside the page's own text, late or on the server, so body.view and
 * body.export_view differ (docs/macros.md): Page Properties (`details`), the Page Properties Report
 * (`detailssummary`) that lists the pages with one, and Jira issues (`jira`: one issue, or a table of a JQL query).
 */
export type SimMacro =
  | { macro: 'details'; properties: Array<[string, string]> }
  | { macro: 'detailssummary'; cql: string; headings: string[] }
  | { macro: 'jira'; key: string }
  | { macro: 'jira'; jql: string };

export interface SimPage {
  id: string;
  type: 'page' | 'blogpost';
  spaceId: string;
  title: string;
  parentId: string | null;
  position: number;
  authorId: string;
  createdAt: string;
  status: 'current' | 'archived';
  version: SimVersion;
  restrictions: Record<RestrictedOperation, Restriction>;
  attachments: SimAttachment[];
  /** Include macros in the body, rendered with the reader's rights. */
  includes?: SimInclude[];
  /** The body starts with an excerpt macro (around its first paragraph), which Excerpt Include shows elsewhere. */
  excerpt?: boolean;
  /** Ids of other pages' attachments the body links to. */
  attachmentLinks?: string[];
  /** Macros at the end of the body that render late or from outside the page (see SimMacro). */
  macros?: SimMacro[];
  /** Cloud: a live doc (v2 `subtype: "live"`), a page with no draft or publish step: every edit is what readers see. */
  subtype?: 'live';
}

/**
 * Cloud items of the page tree that are not pages: folders, whiteboards, databases and Smart Links (v2 "embeds"). Each
 * sits in the tree like a page and can be restricted; the API gives their metadata (an embed's target URL too), never
 * their content.
 */
export type TreeItemType = 'folder' | 'whiteboard' | 'database' | 'embed';
export type SimTreeItem = Omit<SimPage, 'type'> & { type: TreeItemType; embedUrl?: string };
export type SimFolder = SimTreeItem & { type: 'folder' };

/** What the page tree holds: pages (and blog posts at its top), folders, whiteboards, databases and embeds. */
export type SimNode = SimPage | SimTreeItem;

export function isPage(node: SimNode): node is SimPage {
  return node.type === 'page' || node.type === 'blogpost';
}

export const emptyRestriction = (): Restriction => ({ userIds: [], groupIds: [] });

/** A label on a page or blog post (all generated labels are global ones). */
export interface SimLabel {
  id: string;
  name: string;
  prefix: 'global';
}

export type CommentLocation = 'footer' | 'inline';

/**
 * A footer or inline comment on a page, or a reply to one (parentId). A comment is visible to exactly who sees its
 * page.
 */
export interface SimComment {
  id: string;
  pageId: string;
  location: CommentLocation;
  /** The comment this one replies to; null for the first comment of a thread. */
  parentId: string | null;
  authorId: string;
  createdAt: string;
  version: SimVersion;
  /** Plain text of the current version (rendered as one paragraph). */
  text: string;
  /** Inline comments: the highlighted text, its marker, and whether the thread was resolved. */
  inline?: { selection: string; markerRef: string; resolution: 'open' | 'resolved' };
}
