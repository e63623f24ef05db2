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
