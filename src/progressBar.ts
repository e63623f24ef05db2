// The terminal view of an ingest's progress query: one bar on stderr, only when stderr is a terminal.
import { SingleBar, Presets } from 'cli-progress';
import type { IngestProgress } from './workflows/progress';

export interface ProgressView {
  update(progress: IngestProgress): void;
  stop(): void;
}

export function progressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar(
    { stream, format: 'pages {bar} {value}/{total} | failed {failed} | in flight {inFlight} | {eta_formatted} left', hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(0, 0, { failed: 0, inFlight: 0 });
  return {
    update(p) {
      bar.setTotal(Math.max(p.listed, 1));
      bar.update(p.done + p.failed, { failed: p.failed, inFlight: p.inFlight });
    },
    stop: () => bar.stop(),
  };
}
