// Reading and writing what steps hand each other (core/handoff.ts). A page's steps run on the worker that downloaded
// it, so a handoff is a file there; a step that finds itself on another worker (the first one died, or the workflow
// task moved) fails as HostChanged and the page starts again from its first step. Steps on a pool of their own get
// the content inline instead, compressed, up to a size that stays well within Temporal's payload limit.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ApplicationFailure } from '@temporalio/common';
import { writeFileAtomic } from '../../core/atomicWrite';
import type { Handoff } from '../../core/handoff';
import { FAILURE, failureOf } from '../../core/failures';
import { copiedWorkFile } from '../workDir';

/** Compressed bytes past this do not travel in a payload (Temporal refuses payloads over 2 MB). */
export const MAX_INLINE_BYTES = 1_500_000;

export interface WorkerHost {
  /** Unique to this worker process. */
  id: string;
  /** The task queue only this worker polls: steps that must run where a page's files are go there. */
  queue: string;
  /** The worker's own scratch space. */
  workDir: string;
}

export class Handoffs {
  constructor(readonly host: WorkerHost) {}

  /** Writes the content beside the others of its page, and carries it inline when the next step may run elsewhere. */
  async write(file: string, data: string | Buffer, inline: boolean): Promise<Handoff> {
    await writeFileAtomic(file, data);
    return this.handoff(file, inline ? data : undefined);
  }

  /** A file this worker already holds (a downloaded attachment), as a handoff. */
  async adopt(file: string, inline: boolean): Promise<Handoff> {
    return this.handoff(file, inline ? await readFile(file) : undefined);
  }

  async read(handoff: Handoff): Promise<Buffer> {
    if (handoff.inline !== undefined) return gunzipSync(Buffer.from(handoff.inline, 'base64'));
    return readFile(this.localPath(handoff));
  }

  async readText(handoff: Handoff): Promise<string> {
    return (await this.read(handoff)).toString('utf8');
  }

  /** A path on this worker with the content: the file itself, or the inline content written to the work dir first. */
  async pathOf(handoff: Handoff): Promise<string> {
    if (handoff.inline === undefined) return this.localPath(handoff);
    const copy = this.elsewhere(handoff, 'inbound', path.basename(handoff.path));
    if (!existsSync(copy)) await writeFileAtomic(copy, await this.read(handoff));
    return copy;
  }

  /**
   * Where a step writes what it made of `from` (`<page>.v3.html` -> `<page>.v3.<step>.<ext>`): beside it on this
   * worker, or in this worker's own work dir when `from` was made elsewhere (a step on a pool).
   */
  nextPath(from: Handoff, step: string, ext = 'json'): string {
    const name = path.basename(from.path).replace(/\.[a-z]+\.json$|\.html$/, `.${step}.${ext}`);
    return this.isLocal(from) ? path.join(path.dirname(from.path), name) : this.elsewhere(from, 'remote', name);
  }

  /** Whether the file is this worker's, so it may be removed here. */
  isLocal(handoff: Handoff): boolean {
    return handoff.host === undefined || handoff.host === this.host.id;
  }

  private handoff(file: string, inlineData?: string | Buffer): Handoff {
    return {
      path: file,
      host: this.host.id,
      ...(inlineData !== undefined ? { inline: this.compress(file, inlineData) } : {}),
    };
  }

  /** A folder of this worker's own for what came from another worker's `handoff`. */
  private elsewhere(handoff: Handoff, kind: 'inbound' | 'remote', name: string): string {
    return copiedWorkFile(this.host.workDir, kind, `${handoff.host}\n${handoff.path}`, name);
  }

  private localPath(handoff: Handoff): string {
    if (this.isLocal(handoff)) return handoff.path;
    throw ApplicationFailure.create(
      failureOf(
        FAILURE.HostChanged,
        `${path.basename(handoff.path)} is on worker ${handoff.host}, not on this one (${this.host.id}): the page starts again here`,
      ),
    );
  }

  private compress(file: string, data: string | Buffer): string {
    const packed = gzipSync(data);
    if (packed.length > MAX_INLINE_BYTES) {
      throw ApplicationFailure.create(
        failureOf(
          FAILURE.HandoffTooLarge,
          `${path.basename(file)} is ${packed.length} bytes compressed, more than the ${MAX_INLINE_BYTES} that can travel to a step on another worker; run this kind of step on the page's own workers (drop its --*-task-queue)`,
        ),
      );
    }
    return packed.toString('base64');
  }
}
