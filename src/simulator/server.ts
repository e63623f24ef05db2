// The HTTP server: resolves the site base, authenticates, routes, renders errors per API family, counts everything.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { downloadRoutes } from './api/download';
import { v2Routes } from './api/v2';
import { BodyRenderer } from './bodies';
import { generateSite } from './generate';
import { authenticate } from './http/auth';
import { errorResponse } from './http/respond';
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
}

export interface RunningSimulator {
  /** The site URL a user would copy: http://127.0.0.1:PORT on Cloud, http://127.0.0.1:PORT/confluence on Data Center. */
  url: string;
  /** http://127.0.0.1:PORT */
  origin: string;
  mode: Mode;
  options: SimulatorOptions;
  /** The first user's credentials (they can read every generated page). */
  credentials: SimulatorCredentials;
  stats: SimStats;
  site: SimSite;
  close(): Promise<void>;
}

interface ServerState {
  options: SimulatorOptions;
  site: SimSite;
  stats: SimStats;
  routes: Route[];
  origin: string;
  bodies?: BodyRenderer;
}

export async function startSimulator(input: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  const options = parseSimulatorOptions(input);
  const site = generateSite(options);
  const state: ServerState = { options, site, stats: new SimStats(), routes: [...v2Routes, ...downloadRoutes(options.seed)], origin: '' };
  const server = createServer((req, res) => {
    handle(state, req)
      .then((response) => send(state, res, response))
      .catch((err: unknown) => send(state, res, errorResponse('download', 500, `simulator bug: ${String(err)}`)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`Simulator could not listen on ${options.host}:${options.port}: ${err.message}`)));
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  state.origin = `http://${options.host}:${port}`;
  state.bodies = new BodyRenderer(site, options.seed, options.mode, state.origin, sitePath(options));
  const primary = site.users[0];
  return {
    url: `${state.origin}${options.mode === 'dc' ? options.contextPath : ''}`,
    origin: state.origin,
    mode: options.mode,
    options,
    credentials: {
      username: options.mode === 'cloud' ? primary.email : primary.username,
      apiToken: primary.apiToken,
      password: primary.password,
      pat: primary.pat,
    },
    stats: state.stats,
    site,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sitePath(options: SimulatorOptions): string {
  return options.mode === 'cloud' ? '/wiki' : options.contextPath;
}

function familyOf(path: string): ApiFamily {
  if (path.startsWith('/api/v2/')) return 'v2';
  if (path.startsWith('/rest/')) return 'v1';
  return 'download';
}

async function handle(state: ServerState, req: IncomingMessage): Promise<SimResponse> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const base = sitePath(state.options);
  const method = req.method ?? 'GET';
  if (!url.pathname.startsWith(`${base}/`)) {
    state.stats.countRequest(`${method} (outside ${base || '/'})`);
    return errorResponse('download', 404, `Nothing here: the site lives under ${base || '/'}`);
  }
  const path = url.pathname.slice(base.length);
  const match = matchRoute(state.routes, method, path);
  const family = match?.route.family ?? familyOf(path);
  state.stats.countRequest(`${method} ${match?.route.template ?? '(unknown route)'}`);
  const user = authenticate(req.headers.authorization, state.options.mode, state.site.users);
  if (!user) return errorResponse(family, 401, 'Client must be authenticated to access this resource.');
  if (!match) return errorResponse(family, 404, `No such endpoint: ${method} ${url.pathname}`);
  const ctx: RequestContext = {
    method,
    path,
    params: match.params,
    query: url.searchParams,
    user,
    mode: state.options.mode,
    site: state.site,
    origin: state.origin,
    basePath: base,
    linkBasePath: base,
    bodies: state.bodies!,
    stats: state.stats,
  };
  try {
    return await match.route.handler(ctx);
  } catch (err) {
    if (err instanceof ApiError) return errorResponse(family, err.status, err.message);
    throw err;
  }
}

function send(state: ServerState, res: ServerResponse, response: SimResponse): void {
  state.stats.countStatus(response.status);
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(response.body);
}
