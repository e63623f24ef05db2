// A tiny method + path-template router; the template doubles as the route's name in the request counters.
import type { ApiFamily, Handler } from './types';

export interface Route {
  method: string;
  /** e.g. /api/v2/pages/{id} */
  template: string;
  family: ApiFamily;
  handler: Handler;
  /** Requests counted together in the stats, e.g. 'permission' for restrictions, space permissions, group members. */
  tag?: string;
  pattern: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export function route(method: string, template: string, family: ApiFamily, handler: Handler, tag?: string): Route {
  const names: string[] = [];
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    // A {rest} parameter spans slashes (attachment file names); others are one segment.
    return name === 'rest' ? '(.+)' : '([^/]+)';
  });
  return { method, template, family, handler, tag, pattern: new RegExp(`^${source}/?$`), names };
}

export function matchRoute(routes: Route[], method: string, path: string): RouteMatch | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const m = candidate.pattern.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    return { route: candidate, params };
  }
  return undefined;
}
