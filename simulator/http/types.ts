// Shapes shared by the router, the handlers and the server.
import type { Mode } from '../links';
import type { SimUser } from '../model';
import type { SimSite } from '../site';
import type { BodyRenderer } from '../bodies';
import type { SimulatorOptions } from '../options';
import type { SimStats } from '../stats';

/** Error bodies differ by API family, so each route says which one it belongs to. */
export type ApiFamily = 'v2' | 'v1' | 'plain';

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RequestContext {
  method: string;
  /** Path below the site base, e.g. /api/v2/pages/123 (the base is /wiki on Cloud, the context path on DC). */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  user: SimUser;
  mode: Mode;
  site: SimSite;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The site base path as the client addressed it (/wiki, /confluence, /ex/confluence/{cloudId}/wiki). */
  basePath: string;
  /** The base path Confluence writes into links (/wiki on Cloud even behind the OAuth gateway). */
  linkBasePath: string;
  bodies: BodyRenderer;
  stats: SimStats;
  options: SimulatorOptions;
}

export type Handler = (ctx: RequestContext) => SimResponse | Promise<SimResponse>;

/** Thrown by handlers; the server renders it in the route's API family. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
