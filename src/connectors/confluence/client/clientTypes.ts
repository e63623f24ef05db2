// The client's public face: what the Cloud and Data Center clients both offer, and the queries they take.
import type {
  AncestorRef,
  AttachmentRef,
  BatchedContent,
  CommentVersion,
  ContentBatchQuery,
  ExportView,
  ContentRestrictions,
  ContentType,
  PageComment,
  Listing,
  PageRef,
  PermissionFacts,
  SpacePermissionRef,
  SpaceRef,
  TreeDocMetadata,
  TreeDocType,
  TreeItemInSpace,
  TreeItemType,
} from './types';
import type { TreeItemsFound } from './treeItems';

export interface PageQuery {
  cursor?: string;
  limit: number;
}

export interface SpaceQuery extends PageQuery {
  keys?: string[];
}

export interface ContentQuery extends PageQuery {
  /** 'page' (default), 'blogpost' (--include-blogposts), or a Cloud tree document type (--content-types). */
  type?: ContentType;
  /** Archived content too (--include-archived). */
  includeArchived?: boolean;
}

export interface ConfluenceClient {
  readonly cloud: boolean;
  listSpaces(query: SpaceQuery): Promise<Listing<SpaceRef>>;
  /**
   * The requested spaces the user can see (personal `~key` too), in the order asked, and the keys that are unknown or
   * hidden.
   */
  resolveSpaces(keys: string[]): Promise<{ found: SpaceRef[]; missing: string[] }>;
  /** Pages (or blog posts) of a space, one API page at a time; every listing's refs carry their labels. */
  listPages(space: SpaceRef, query: ContentQuery): Promise<Listing<PageRef>>;
  /** Refs of the given ids (--page-ids), in the order asked, and the ids that are unknown or hidden. */
  getPagesByIds(ids: string[]): Promise<{ found: PageRef[]; missing: string[] }>;
  /** Pages and blog posts matching CQL (--cql); other content types are skipped. */
  search(cql: string, query: PageQuery): Promise<Listing<PageRef>>;
  /**
   * Pages and blog posts matching CQL with their storage format, from the first page of one search of at most `limit`
   * results (the macros a rendered body does not name).
   */
  storageBodies(cql: string, limit: number): Promise<Array<{ ref: PageRef; storage: string }>>;
  /** A page's rendered HTML (body.view) and its ref. */
  getPage(pageId: string, type?: ContentType): Promise<{ ref: PageRef; html: string }>;
  /**
   * Data Center: getPage with the page's ancestors and restrictions, in one request (a page left out of its batch
   * costs one, not three). Absent on Cloud, whose v2 page has no such expansions.
   */
  getPageWithFacts?(pageId: string): Promise<{ ref: PageRef; html: string; facts: Required<PermissionFacts> }>;
  /** Data Center: a page's ancestors and restrictions in one request. Absent on Cloud (two endpoints there). */
  getFacts?(pageId: string): Promise<Required<PermissionFacts>>;
  listAttachments(pageId: string, query: PageQuery & { type?: ContentType }): Promise<Listing<AttachmentRef>>;
  /** Bytes of an attachment or embedded file on this site (credentials never leave the site's origin). */
  download(url: string, maxBytes?: number): Promise<{ body: Buffer; contentType?: string }>;
  /** Ancestors of a page (or Cloud tree item: folder, whiteboard, database, embed), root first. */
  getAncestors(pageId: string, type?: ContentType): Promise<AncestorRef[]>;
  /** Page-level read/update restrictions (this page only; ancestors' apply too). */
  getRestrictions(pageId: string): Promise<ContentRestrictions>;
  /**
   * Ancestors and restrictions (and with `bodies`, the body.view and version) of several pages in one CQL search; what
   * it cannot answer for is absent (read it one by one). A 5xx is thrown at once, and so is an answer over `maxBytes`
   * (ResponseTooLarge): the caller splits the batch.
   */
  getContentBatch(pageIds: string[], query: ContentBatchQuery): Promise<Map<string, BatchedContent>>;
  /**
   * body.export_view of several pages in one CQL search (at most exportViewsPerSearch); what it does not return is
   * absent (read it alone). A 5xx is thrown at once, and so is an answer over `maxBytes`: the caller splits the batch.
   */
  getExportViews(pageIds: string[], maxBytes: number): Promise<Map<string, ExportView>>;
  /** One page's body.export_view, from its own endpoint. */
  getExportView(pageId: string, type?: ContentType): Promise<ExportView>;
  /** Every comment of a page, threads and replies, in the order the API gives them. */
  listComments(pageId: string, type?: ContentType): Promise<PageComment[]>;
  /** The ids and versions of every comment (replies too) of several pages, by page id, from one CQL search. */
  commentVersionsOf(pageIds: string[]): Promise<Map<string, CommentVersion[]>>;
  /** Cloud: the folders, whiteboards, databases or embeds of a space's tree, of the types asked: counted and named. */
  findTreeItems?(space: SpaceRef, types: readonly TreeItemType[]): Promise<TreeItemsFound>;
  /** Cloud: the folder, whiteboard, database or embed of this id the account can see (none is a page). */
  getTreeItem?(id: string): Promise<TreeItemInSpace | undefined>;
  /** Cloud: a whiteboard's, database's or embed's metadata (the API gives no content of theirs). */
  getTreeDoc?(id: string, type: TreeDocType): Promise<TreeDocMetadata>;
  /** Space permissions; undefined on Data Center, which has no documented endpoint for them. */
  listSpacePermissions(space: SpaceRef, query: PageQuery): Promise<Listing<SpacePermissionRef> | undefined>;
}
