// The HTTP server: finds the entry point (Cloud site, OAuth gateway, Data Center context), injects faults,
// authenticates, routes, renders errors per API family, and counts everything.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadRoutes } from './api/download';
import { MEDIA_ROUTE, serveMedia } from './api/media';
import { uiRoutes } from './api/ui';
import { v1ContentRoutes } from './api/v1-content';
import { v1PeopleRoutes } from './api/v1-people';
import { v2Routes } from './api/v2';
import { v2DiscussionRoutes } from './api/v2-discussion';
import { v2RoleRoutes } from './api/v2-roles';
import { v2TreeRoutes } from './api/v2-tree';
import { v1DiscussionRoutes } from './api/v1-discussion';
import { withRemovedV1Reads } from './api/v1-removed';
import { BodyRenderer } from './bodies';
import { FaultInjector, type FaultCounters, type FaultDecision } from './faults/injector';
import type { FaultOptions, FaultOptionsInput } from './faults/options';
import { generateSite } from './generate';
import { authenticate, type AuthRealm } from './http/auth';
import { errorResponse, json } from './http/respond';
import { matchRoute, type Route } from './http/router';
import { ApiError, type ApiFamily, type RequestContext, type SimResponse } from './http/types';
import type { Mode } from './links';
import { parseSimulatorOptions, type SimulatorOptions, type SimulatorOptionsInput } from './options';
import type { SimSite } from './site';
import { SimStats } from './stats';

export interface SimulatorCredentials {
  /** Cloud: the email; Data Center: the login name. */
  username: string;
  apiToken: string;
  password: string;
  pat: string;
  /** OAuth access token for the gateway path (Cloud). */
  oauthToken: string;
  /** Scoped API token (Cloud): with the username, through the gateway path only. */
  scopedApiToken: string;
}

export interface RunningSimulator {
  /**
   * The site URL a user would copy: http://127.0.0.1:PORT on Cloud, http://127.0.0.1:PORT/confluence on Data Center.
   */
  url: string;
  /** http://127.0.0.1:PORT; also the OAuth gateway root: {origin}/ex/confluence/{cloudId}/wiki/... */
  origin: string;
  cloudId: string;
  mode: Mode;
  options: SimulatorOptions;
  /** The first user's credentials (the ingest account: it can read every generated page). */
  credentials: SimulatorCredentials;
  stats: SimStats;
  site: SimSite;
  /** The oracle: may this user see this page (space read + read restrictions of the page and all its ancestors)? */
  canView(userId: string, pageId: string): boolean;
  /** Current fault settings; replace them at run time with setFaults. */
  readonly faults: FaultOptions;
  setFaults(faults: FaultOptionsInput): void;
  readonly faultCounters: FaultCounters;
  close(): Promise<void>;
}

interface Entry {
  /** Base path as the client addressed it. */
  basePath: string;
  /** Base path Confluence writes into v2 links (/wiki even behind the gateway). */
  linkBasePath: string;
  realm: AuthRealm;
  /** Path below the base. */
  path: string;
}

interface ServerState {
  options: SimulatorOptions;
  site: SimSite;
  stats: SimStats;
  routes: Route[];
  faults: FaultInjector;
  origin: string;
  bodies?: BodyRenderer;
}

export async function startSimulator(input: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  const options = parseSimulatorOptions(input);
  const site = generateSite(options);
  const state: ServerState = {
    options,
    site,
    stats: new SimStats(),
    routes: routesFor(options),
    faults: new FaultInjector(options.seed, options.faults, options.mode),
    origin: '',
  };
  const server = createServer((req, res) => {
    state.stats.enter();
    res.once('close', () => state.stats.leave());
    handle(state, req, res).catch((err: unknown) =>
      send(state, res, errorResponse('plain', 500, `simulator bug: ${String(err)}`)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`Simulator could not listen on ${options.host}:${options.port}: ${err.message}`)),
    );
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://${options.host}:${port}`;
  state.bodies = new BodyRenderer(site, options.seed, options.mode, state.origin, sitePath(options));
  const primary = site.users[0];
  return {
    url: `${state.origin}${options.mode === 'dc' ? options.contextPath : ''}`,
    origin: state.origin,
    cloudId: site.cloudId,
    mode: options.mode,
    options,
    credentials: {
      username: options.mode === 'cloud' ? primary.email : primary.username,
      apiToken: primary.apiToken,
      password: primary.password,
      pat: primary.pat,
      oauthToken: primary.oauthToken,
      scopedApiToken: primary.scopedApiToken,
    },
    stats: state.stats,
    site,
    canView: (userId, pageId) => site.canView(userId, pageId),
    get faults() {
      return state.faults.current;
    },
    setFaults: (faults) => state.faults.set(faults),
    faultCounters: state.faults.counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function routesFor(options: SimulatorOptions): Route[] {
  const common = [
    ...v1ContentRoutes,
    ...v1DiscussionRoutes,
    ...v1PeopleRoutes(options),
    ...downloadRoutes(options.seed),
    ...uiRoutes(options.mode),
  ];
  if (options.mode === 'dc') return common;
  const v1 = options.v1Removed ? withRemovedV1Reads(common) : common;
  return [...v2Routes, ...v2TreeRoutes, ...v2RoleRoutes, ...v2DiscussionRoutes, ...v1];
}

function sitePath(options: SimulatorOptions): string {
  return options.mode === 'cloud' ? '/wiki' : options.contextPath;
}

const TENANT_INFO = '/_edge/tenant_info';
const GATEWAY = /^\/ex\/confluence\/([^/]+)(\/wiki)(\/.*)$/;

function resolveEntry(state: ServerState, pathname: string): Entry | { error: string } {
  const { options } = state;
  if (options.mode === 'cloud') {
    const gateway = GATEWAY.exec(pathname);
    if (gateway) {
      if (gateway[1] !== state.site.cloudId) return { error: `No site with cloud id ${gateway[1]}` };
      return {
        basePath: `/ex/confluence/${gateway[1]}/wiki`,
        linkBasePath: '/wiki',
        realm: 'gateway',
        path: gateway[3],
      };
    }
  }
  const base = sitePath(options);
  if (!pathname.startsWith(`${base}/`)) return { error: `Nothing here: the site lives under ${base || '/'}` };
  return {
    basePath: base,
    linkBasePath: base,
    realm: options.mode === 'cloud' ? 'cloud' : 'dc',
    path: pathname.slice(base.length),
  };
}

function familyOf(path: string): ApiFamily {
  if (path.startsWith('/api/v2/')) return 'v2';
  if (path.startsWith('/rest/')) return 'v1';
  return 'plain';
}

async function handle(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const method = req.method ?? 'GET';
  if (state.options.mode === 'cloud' && method === 'GET' && url.pathname === TENANT_INFO) {
    // Public, as on Atlassian's edge: how a client learns the cloud id for the gateway path.
    state.stats.countRequest(`${method} ${TENANT_INFO}`);
    return send(state, res, json(200, { cloudId: state.site.cloudId }));
  }
  const media = state.options.mode === 'cloud' ? MEDIA_ROUTE.exec(url.pathname) : null;
  if (media) {
    state.stats.countRequest(`${method} /media/file/{fileId}/binary`);
    return send(state, res, serveMedia(state.site, state.options.seed, media[1], url.searchParams));
  }
  const entry = resolveEntry(state, url.pathname);
  if ('error' in entry) {
    state.stats.countRequest(`${method} (unknown route)`);
    return send(state, res, errorResponse('plain', 404, entry.error));
  }
  const match = matchRoute(state.routes, method, entry.path);
  const family = match?.route.family ?? familyOf(entry.path);
  state.stats.countRequest(`${method} ${match?.route.template ?? '(unknown route)'}`, match?.route.tag);
  const fault = state.faults.decide(entry.path);
  if (fault.delayMs > 0) await new Promise((r) => setTimeout(r, fault.delayMs));
  if (fault.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault.kind === 'reject') return send(state, res, faultResponse(family, fault.status, fault.headers));
  if (fault.kind === 'down') return send(state, res, proxyPage(503, 'Service Unavailable'));
  if (fault.kind === 'expired') return send(state, res, expiredResponse(entry.realm, family));
  const user =
    fault.kind === 'revoked' ? undefined : authenticate(req.headers.authorization, entry.realm, state.site.users);
  if (!user)
    return send(state, res, errorResponse(family, 401, 'Client must be authenticated to access this resource.'));
  if (!match) return send(state, res, errorResponse(family, 404, `No such endpoint: ${method} ${url.pathname}`));
  const cql = url.searchParams.get('cql');
  if (cql !== null && state.faults.refusesCql(cql))
    return send(state, res, errorResponse(family, 400, `Could not parse cql : ${cql}`));
  const ctx: RequestContext = {
    method,
    path: entry.path,
    params: match.params,
    query: state.faults.pagingQuery(entry.path, url.searchParams),
    user,
    mode: state.options.mode,
    site: state.site,
    origin: state.origin,
    basePath: entry.basePath,
    linkBasePath: entry.linkBasePath,
    bodies: state.bodies!,
    stats: state.stats,
    options: state.options,
  };
  let response: SimResponse;
  try {
    response = await match.route.handler(ctx);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    response = errorResponse(family, err.status, err.message);
  }
  if (response.status === 200 && state.faults.oversized(entry.path, response.body.length)) {
    response = errorResponse(
      family,
      500,
      'The response is too large to be served; ask for fewer results or expansions',
    );
  }
  await send(state, res, response, fault);
}

/** Confluence answers an expired OAuth token as if the content were not there (v2) or not allowed (v1). */
function expiredResponse(realm: AuthRealm, family: ApiFamily): SimResponse {
  if (realm !== 'gateway') return errorResponse(family, 401, 'Client must be authenticated to access this resource.');
  return family === 'v2'
    ? errorResponse(family, 404, 'Not Found')
    : errorResponse(family, 403, 'The OAuth token does not grant access to this resource.');
}

/** Proxies answer 502/504 with HTML; the application answers 429/500/503 in its own error format. */
function faultResponse(family: ApiFamily, status: number, headers: Record<string, string>): SimResponse {
  if (status === 502 || status === 504)
    return proxyPage(status, status === 502 ? 'Bad Gateway' : 'Gateway Timeout', headers);
  const message = status === 429 ? 'Rate limit exceeded' : 'Simulated server error';
  return errorResponse(family, status, message, headers);
}

/** What the proxy in front of the application answers when the application is not there to answer. */
function proxyPage(status: number, reason: string, headers: Record<string, string> = {}): SimResponse {
  const html = `<html><head><title>${status}</title></head><body><h1>${status} ${reason}</h1></body></html>`;
  return { status, headers: { 'content-type': 'text/html', ...headers }, body: Buffer.from(html) };
}

async function send(
  state: ServerState,
  res: ServerResponse,
  response: SimResponse,
  fault?: FaultDecision,
): Promise<void> {
  state.stats.countStatus(response.status);
  let body = response.body;
  const isJson = response.headers['content-type']?.startsWith('application/json') ?? false;
  if (fault?.kind === 'pass' && fault.truncate && isJson && response.status === 200) {
    state.faults.countTruncated();
    body = body.subarray(0, Math.floor(body.length / 2));
  }
  // Quota headers go on every answer, as Cloud sends them.
  const quotaHeaders = fault?.kind === 'pass' ? fault.headers : undefined;
  res.writeHead(response.status, { ...response.headers, ...quotaHeaders, 'content-length': String(body.length) });
  if (fault?.kind !== 'pass' || fault.slowBodyMs === 0 || body.length === 0) {
    res.end(body);
    return;
  }
  state.faults.countSlowBody();
  const pieces = 8;
  const step = Math.ceil(body.length / pieces);
  for (let at = 0; at < body.length; at += step) {
    if (res.destroyed) return;
    res.write(body.subarray(at, at + step));
    await new Promise((r) => setTimeout(r, fault.slowBodyMs / pieces));
  }
  res.end();
}
