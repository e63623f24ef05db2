// What one step hands the next: the path of a file on the worker that wrote it, and, when the next step may run on
// another machine (a pool on a task queue of its own), the content itself, compressed.

export interface Handoff {
  path: string;
  /** The worker that holds `path`; a step elsewhere cannot read it. */
  host?: string;
  /** The content, gzip then base64; present when the next step may run on another machine. */
  inline?: string;
}
