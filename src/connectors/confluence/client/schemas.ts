// zod schemas of the responses we read. Objects are open (extra fields are fine); only fields we use are declared.
// Nullable exactly where recorded real responses carry null despite the spec (see BRIEF.md).
import { z } from 'zod';

/** Ids are strings in v2 JSON and integers in v1 (space ids); we carry strings. */
export const Id = z.union([z.string().min(1), z.number().int()]).transform(String);

const Links = z.object({ next: z.string().optional(), base: z.string().optional() }).optional();

export function v2List<T extends z.ZodType>(item: T) {
  return z.object({ results: z.array(item), _links: Links });
}

export function v1List<T extends z.ZodType>(item: T) {
  return z.object({
    results: z.array(item),
    start: z.number().int().optional(),
    /** The limit the server granted (it may cut the one asked for). */
    limit: z.number().int().optional(),
    size: z.number().int().optional(),
    _links: Links,
  });
}

/**
 * A space key becomes a folder name, so one from the server is checked like input: Confluence makes keys of letters and
 * digits (Character.isLetterOrDigit), and personal spaces "~" + a username or account id, never a path separator.
 */
const SpaceKey = z
  .string()
  .regex(
    /^(?:[\p{L}\p{N}]+|~[^/\\\p{Cc}]+)$/u,
    'not a Confluence space key (letters and digits, or ~ and a user name)',
  );

export const V2Space = z.object({ id: Id, key: SpaceKey, name: z.string(), type: z.string().optional() });

export const V2Page = z.object({
  id: Id,
  title: z.string(),
  spaceId: Id,
  status: z.string().optional(),
  createdAt: z.string().optional(),
  parentId: Id.nullable().optional(),
  version: z.object({ number: z.number().int(), createdAt: z.string().optional() }),
  _links: z.object({ webui: z.string() }),
});

/** A whiteboard, database or embed (WhiteboardSingle, DatabaseSingle, SmartLinkSingle): metadata, no body. */
export const V2TreeItem = V2Page.extend({
  parentType: z.string().nullable().optional(),
  /** An embed's target; absent when it has none. */
  embedUrl: z.string().optional(),
});

export const V2PageWithBody = V2Page.extend({
  body: z.object({ view: z.object({ value: z.string() }) }),
  /** `include-labels=true`: the first labels; `meta.hasMore` when the page has more. */
  labels: z
    .object({
      results: z.array(z.object({ name: z.string().min(1) })),
      meta: z.object({ hasMore: z.boolean().optional() }).optional(),
    })
    .optional(),
  _links: z.object({ webui: z.string(), base: z.string().optional() }),
});

export const V1Space = z.object({ id: Id, key: SpaceKey, name: z.string() });

/** One page of a content's labels (`expand=metadata.labels`); `limit` tells whether more may follow. */
export const V1Labels = z.object({
  results: z.array(z.object({ name: z.string().min(1) })),
  limit: z.number().int().optional(),
});

export const V1Content = z.object({
  id: Id,
  type: z.string(),
  title: z.string(),
  status: z.string().optional(),
  version: z.object({ number: z.number().int(), when: z.string().optional() }),
  metadata: z.object({ labels: V1Labels.optional() }).optional(),
  _links: z.object({ webui: z.string() }),
});

export const V1ContentWithBody = V1Content.extend({
  space: V1Space,
  history: z.object({ createdDate: z.string().optional() }).optional(),
  body: z.object({ view: z.object({ value: z.string() }) }),
  _links: z.object({ webui: z.string(), base: z.string().optional() }),
});

export const V2Attachment = z.object({
  id: Id,
  title: z.string(),
  mediaType: z.string().nullable().optional(),
  fileSize: z.number().nullable().optional(),
  pageId: Id.optional(),
  blogPostId: Id.optional(),
  downloadLink: z.string().optional(),
  version: z.object({ number: z.number().int() }).optional(),
  _links: z.object({ download: z.string().optional() }).optional(),
});

export const V2Ancestor = z.object({ id: Id, type: z.string().optional() });

export const V2SpacePermission = z.object({
  principal: z.object({ type: z.enum(['user', 'group', 'role']), id: Id }),
  operation: z.object({ key: z.string(), targetType: z.string() }),
});

export const V2SpaceRole = z.object({ id: Id, name: z.string().optional(), spacePermissions: z.array(z.string()) });

export const V2RoleAssignment = z.object({
  principal: z.object({ principalType: z.string(), principalId: z.string().min(1) }),
  roleId: Id,
});

export const V1Attachment = z.object({
  id: Id,
  title: z.string(),
  metadata: z.object({ mediaType: z.string().optional() }).optional(),
  extensions: z.object({ mediaType: z.string().optional(), fileSize: z.number().optional() }).optional(),
  version: z.object({ number: z.number().int() }).optional(),
  _links: z.object({ download: z.string() }),
});

export const V1ContentInSpace = V1Content.extend({ space: V1Space });

export const V1Ancestors = z.object({ ancestors: z.array(z.object({ id: Id, title: z.string().optional() })) });

// Cloud users carry accountId, Data Center users userKey (+ username); Cloud groups an id, Data Center groups a name
// only.
const V1User = z.object({
  accountId: z.string().optional(),
  userKey: z.string().optional(),
  username: z.string().optional(),
});
const V1Group = z.object({ name: z.string(), id: z.string().optional() });

/** One operation's principals; each list is itself paged (`limit` tells whether more may follow). */
export const V1OperationRestrictions = z.object({
  restrictions: z.object({
    user: z.object({ results: z.array(V1User), limit: z.number().int().optional() }).optional(),
    group: z.object({ results: z.array(V1Group), limit: z.number().int().optional() }).optional(),
  }),
});

export const V1RestrictionsByOperation = z.object({
  read: V1OperationRestrictions.optional(),
  update: V1OperationRestrictions.optional(),
});

/** A label as v2 and v1 label lists give it (only its name is used). */
export const LabelName = z.object({ name: z.string().min(1) });

/** A v2 footer or inline comment, top-level or a reply (`parentCommentId`). */
export const V2Comment = z.object({
  id: Id,
  parentCommentId: Id.optional(),
  version: z.object({ number: z.number().int(), createdAt: z.string().optional(), authorId: z.string().optional() }),
  body: z.object({ storage: z.object({ value: z.string() }).optional() }).optional(),
  resolutionStatus: z.string().optional(),
  properties: z.object({ inlineOriginalSelection: z.string().optional() }).optional(),
  _links: z.object({ webui: z.string() }),
});

const V1Person = z.object({ accountId: z.string().optional(), userKey: z.string().optional() });

/**
 * A REST v1 comment (`child/comment?depth=all`): its parents in `ancestors`, footer or inline in `extensions.location`.
 */
export const V1Comment = z.object({
  id: Id,
  version: z.object({ number: z.number().int(), when: z.string().optional(), by: V1Person.optional() }),
  history: z.object({ createdDate: z.string().optional(), createdBy: V1Person.optional() }).optional(),
  ancestors: z.array(z.object({ id: Id })).optional(),
  body: z.object({ view: z.object({ value: z.string() }) }),
  extensions: z
    .object({
      location: z.enum(['footer', 'inline']).optional(),
      inlineProperties: z.object({ originalSelection: z.string().optional() }).optional(),
      resolution: z.object({ status: z.string().optional() }).optional(),
    })
    .optional(),
  _links: z.object({ webui: z.string() }),
});

/** A comment found by CQL, with the page it is on. */
export const V1CommentVersion = z.object({
  id: Id,
  type: z.string(),
  version: z.object({ number: z.number().int() }),
  container: z.object({ id: Id }),
});
