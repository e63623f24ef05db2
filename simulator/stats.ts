// Request counters that tests and benchmarks read to prove what the client did (and did not) ask for.

export class SimStats {
  total = 0;
  /** Keyed by "METHOD /route/template", e.g. "GET /api/v2/pages/{id}". */
  readonly byRoute = new Map<string, number>();
  /** Requests that returned a page body (any format), keyed by page id. */
  readonly pageBodyRequests = new Map<string, number>();
  /** Responses by status code. */
  readonly byStatus = new Map<number, number>();
  /** Keyed by route tag, e.g. "permission" (restrictions, space permissions, group members). */
  readonly byTag = new Map<string, number>();
  rateLimited = 0;
  /** When each response went out and its status, so tests can check the client's pacing (the first 100,000). */
  readonly timeline: Array<{ at: number; status: number }> = [];
  /** Requests received and not yet answered (or their connection closed). */
  inFlight = 0;
  /** The most requests in flight at once: what a client's concurrency ceiling looks like from the site. */
  peakInFlight = 0;

  /** A request arrived; it leaves when its answer has gone out or its connection closed. */
  enter(): void {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
  }

  leave(): void {
    this.inFlight--;
  }

  countRequest(routeKey: string, tag?: string): void {
    this.total++;
    bump(this.byRoute, routeKey);
    if (tag) bump(this.byTag, tag);
  }

  /** A request answered by an untagged route that served tagged data too (a space with `expand=permissions`). */
  countTag(tag: string): void {
    bump(this.byTag, tag);
  }

  /** Requests for restrictions, space permissions and group members. */
  get permissionRequests(): number {
    return this.byTag.get('permission') ?? 0;
  }

  countStatus(status: number): void {
    if (this.timeline.length < 100_000) this.timeline.push({ at: Date.now(), status });
    bump(this.byStatus, status);
    if (status === 429) this.rateLimited++;
  }

  countPageBody(pageId: string): void {
    bump(this.pageBodyRequests, pageId);
  }

  /** Requests whose route template contains the given text (e.g. "/restriction"). */
  routeCount(fragment: string): number {
    let sum = 0;
    for (const [key, n] of this.byRoute) if (key.includes(fragment)) sum += n;
    return sum;
  }

  reset(): void {
    this.total = 0;
    this.rateLimited = 0;
    this.timeline.length = 0;
    this.peakInFlight = this.inFlight;
    this.byRoute.clear();
    this.byTag.clear();
    this.pageBodyRequests.clear();
    this.byStatus.clear();
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
