// How an ingest's progress query is shown: a live bar on a terminal, and plain lines for `status`.
import { MultiBar, Presets } from 'cli-progress';
import type { IngestProgress } from '../pipeline/progress';

export interface ProgressView {
  update(progress: IngestProgress): void;
  stop(): void;
}

/** Pages per second since the run started. */
export function rate(p: IngestProgress, now = Date.now()): number {
  const seconds = (now - Date.parse(p.startedAt)) / 1000;
  return seconds > 0 ? (p.done + p.skipped + p.failed) / seconds : 0;
}

/** Pages the label filter left out are not among the listed ones: say how many, when there are any. */
function leftOutByLabel(count: number | undefined): string {
  return count ? `, ${count} left out by label` : '';
}

export function describeProgress(p: IngestProgress, now = Date.now()): string[] {
  const lines = p.spaces.map(
    (s) =>
      `${s.key.padEnd(12)} ${s.done + s.skipped + s.failed}/${s.listed}${s.listingDone ? '' : '+'} pages: ${s.done} ingested, ${s.skipped} unchanged, ${s.failed} failed${leftOutByLabel(s.filteredOut)}`,
  );
  const state = p.finished ? 'finished' : `running, ${p.inFlight} in flight`;
  lines.push(
    `total        ${p.done + p.skipped + p.failed}/${p.listed} pages, ${rate(p, now).toFixed(1)} pages/s, ${state}${leftOutByLabel(p.filteredOut)}`,
  );
  for (const f of p.failures) lines.push(`failed page ${f.id} (${f.spaceKey} "${f.title}"): ${f.reason}`);
  return lines;
}

/** One bar per space plus a total, on stderr, only when stderr is a terminal. */
export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bars = new MultiBar(
    {
      stream,
      format: '{name} {bar} {value}/{total} | failed {failed} | {rate} pages/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  const byName = new Map<string, ReturnType<MultiBar['create']>>();
  const show = (name: string, value: number, total: number, failed: number, pagesPerSecond: number) => {
    let bar = byName.get(name);
    if (!bar) byName.set(name, (bar = bars.create(Math.max(total, 1), value, { name })));
    bar.setTotal(Math.max(total, 1));
    bar.update(value, { name: name.padEnd(10), failed, rate: pagesPerSecond.toFixed(1) });
  };
  return {
    update(p) {
      const r = rate(p);
      for (const s of p.spaces) show(s.key, s.done + s.skipped + s.failed, s.listed, s.failed, r);
      show('total', p.done + p.skipped + p.failed, p.listed, p.failed, r);
    },
    stop: () => bars.stop(),
  };
}
