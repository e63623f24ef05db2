// The S3 destination: the local output's layout and JSON as objects, <prefix>/<space-key>/<page-id>.html.json with a
// page's extracted files and comments beside it. A PUT replaces an object whole or not at all, so a reader never sees
// a page half-written; a page's objects are PUT before its checkpoint record, and a crash in between leaves objects
// that the next run writes again (the checkpoint is never in the bucket: SQLite beside the report, or PostgreSQL).
import { createHash, randomUUID } from 'node:crypto';
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { DocumentRecord } from '../../core/document';
import type { Element } from '../../core/elements';
import { StoreError } from '../../core/storeError';
import { type PermissionsPatch, patchElement } from '../permissionsPatch';
import type { RecordPage, RecordPermissions, StoredDocument, Uploader } from '../uploader';
import { type S3Destination, type S3Location, s3LocationOf } from './config';
import { explainS3Error } from './errors';

/** The SDK loads with the first bucket: it would add a tenth of a second to the start of every other run. */
const sdk = (): typeof S3Sdk => require('@aws-sdk/client-s3');

const CONNECT_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;

function clientConfig(destination: S3Destination): S3Sdk.S3ClientConfig {
  // The SDK warns on Node 20 about releases after this pinned one (they will need Node 22); printed on stderr, it
  // would come before the one line a refused run prints. The user may still ask for it by setting the variable.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    ...(destination.endpoint ? { endpoint: destination.endpoint } : {}),
    // A compatible store is given a region it ignores, for the SDK insists on one to sign with.
    ...(destination.region || destination.endpoint ? { region: destination.region ?? 'us-east-1' } : {}),
    forcePathStyle: destination.pathStyle,
    // Compatible stores (R2, older MinIO) refuse the CRC checksums AWS's SDK now sends by default.
    ...(destination.endpoint
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
  };
}

export class S3Bucket implements Uploader {
  private readonly client: S3Sdk.S3Client;
  private readonly at: S3Location;
  /** s3://bucket/prefix/: what every location this destination wrote starts with. */
  private readonly root: string;

  /** `client`: for tests and benches that bring their own; by default the worker's credentials, by the SDK's chain. */
  constructor(
    readonly destination: S3Destination,
    client?: S3Sdk.S3Client,
  ) {
    this.client = client ?? new (sdk().S3Client)(clientConfig(destination));
    this.at = s3LocationOf(destination.url);
    this.root = `s3://${this.at.bucket}/${this.at.prefix ? `${this.at.prefix}/` : ''}`;
  }

  /** "s3://bucket/prefix at http://endpoint": the destination as messages name it. */
  describe(): string {
    return `${this.root}${this.destination.endpoint ? ` at ${this.destination.endpoint}` : ''}`;
  }

  /** Refuses, with one line naming the fix, a bucket this worker cannot reach, or cannot write and delete in. */
  async check(): Promise<void> {
    await this.attempt('HeadBucket', () => this.client.send(new (sdk().HeadBucketCommand)({ Bucket: this.at.bucket })));
    const probe = this.keyOf(`.durable-ingest-probe-${randomUUID()}`);
    await this.attempt('PutObject', () =>
      this.client.send(new (sdk().PutObjectCommand)({ Bucket: this.at.bucket, Key: probe, Body: 'probe' })),
    );
    await this.attempt('DeleteObject', () =>
      this.client.send(new (sdk().DeleteObjectCommand)({ Bucket: this.at.bucket, Key: probe })),
    );
  }

  async write(document: DocumentRecord, elements: Element[]): Promise<StoredDocument> {
    const key = this.keyOf(`${document.sourceIdentifiers.relativePath}.json`);
    const text = JSON.stringify(elements, null, 2);
    await this.put(key, text);
    return { location: `s3://${this.at.bucket}/${key}`, digest: createHash('sha256').update(text).digest('hex') };
  }

  async writePage(document: DocumentRecord, elements: Element[], record: RecordPage): Promise<StoredDocument> {
    const stored = await this.write(document, elements);
    await record(stored);
    return stored;
  }

  // The objects first, the record after: a crash in between leaves the old record, and the next run rewrites again.
  async rewritePermissions(locations: string[], patch: PermissionsPatch, record: RecordPermissions): Promise<void> {
    const keys = this.keysOf(locations, 'rewrite');
    for (const key of keys) {
      const text = await this.get(key);
      // An object removed by hand stays removed: there is nothing left that could grant too much.
      if (text === undefined) continue;
      const elements = (JSON.parse(text) as Element[]).map((e) => patchElement(e, patch));
      await this.put(key, JSON.stringify(elements, null, 2));
    }
    await record();
  }

  async remove(locations: string[]): Promise<void> {
    const keys = this.keysOf(locations, 'delete');
    // One DELETE per object: DeleteObjects needs a Content-MD5 that some compatible stores compute differently.
    await Promise.all(
      keys.map((key) =>
        this.attempt('DeleteObject', () =>
          this.client.send(new (sdk().DeleteObjectCommand)({ Bucket: this.at.bucket, Key: key })),
        ),
      ),
    );
  }

  close(): void {
    this.client.destroy();
  }

  private keyOf(relativePath: string): string {
    const parts = relativePath.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..'))
      throw new StoreError(
        'destination',
        `refusing the object name ${JSON.stringify(relativePath)}: it has empty, "." or ".." parts`,
      );
    return this.at.prefix ? `${this.at.prefix}/${relativePath}` : relativePath;
  }

  /**
   * The locations come from the checkpoint, which anyone with access to it may have edited: one outside this bucket
   * and prefix is a mistake no retry fixes.
   */
  private keysOf(locations: string[], action: 'delete' | 'rewrite'): string[] {
    const outside = locations.find((location) => !location.startsWith(this.root) || location.includes('/../'));
    if (outside !== undefined)
      throw new StoreError(
        'destination',
        `refusing to ${action} ${outside}: the checkpoint names it but it is outside ${this.root}; check the checkpoint belongs to this destination`,
      );
    const bucketPart = `s3://${this.at.bucket}/`.length;
    return locations.map((location) => location.slice(bucketPart));
  }

  private async put(key: string, text: string): Promise<void> {
    const body = { Bucket: this.at.bucket, Key: key, Body: text, ContentType: 'application/json' };
    await this.attempt('PutObject', () => this.client.send(new (sdk().PutObjectCommand)(body)));
  }

  private async get(key: string): Promise<string | undefined> {
    try {
      const found = await this.client.send(new (sdk().GetObjectCommand)({ Bucket: this.at.bucket, Key: key }));
      return await found.Body?.transformToString('utf8');
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw explainS3Error(this.describe(), 'GetObject', err);
    }
  }

  private async attempt(action: string, request: () => Promise<unknown>): Promise<void> {
    try {
      await request();
    } catch (err) {
      throw explainS3Error(this.describe(), action, err);
    }
  }
}
