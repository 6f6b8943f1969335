import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { SluiceError, WriterLifecycle } from '../../src/index.js';
import type { FileWriter, WriteResult } from '../../src/index.js';
import type { S3Location } from './s3-path.js';

/** S3 allows at most this many parts in one multipart upload. */
const MAX_PARTS = 10_000;
/** S3's largest part. */
const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;

/** What an {@link S3FileWriter} needs from its file system. */
export interface S3FileWriterOptions {
  client: S3Client;
  loc: S3Location;
  /** The path as the caller gave it, for messages. */
  shownPath: string;
  partSize: number;
  queueSize: number;
  signal?: AbortSignal;
  /** Maps an SDK error of `s3Call` to a `SluiceError` naming the path, bucket, key and credentials. */
  toError(op: string, s3Call: string, err: unknown): SluiceError;
}

/**
 * The size of part `n` (1-based): `partSize`, doubled after every 1000 parts so that 10,000 parts reach far
 * past 80 GiB, capped at S3's 5 GiB.
 */
export function partSizeFor(partSize: number, n: number): number {
  return Math.min(MAX_PART_BYTES, partSize * 2 ** Math.floor((n - 1) / 1000));
}

/**
 * Writes one S3 object in chunks. Chunks are copied into the pending part; a full part is uploaded with
 * UploadPart while writing goes on, at most `queueSize` at once — `write` waits for a free slot, so the writer
 * holds at most about `(queueSize + 1) * partSize` bytes. Nothing is visible under the key until `close()`:
 * an object smaller than one part is a single PutObject at close, a larger one a multipart upload that
 * CompleteMultipartUpload publishes. `abort()` and any failure call AbortMultipartUpload, leaving no object
 * and no parts.
 */
export class S3FileWriter implements FileWriter {
  #bytes = 0;
  readonly #life: WriterLifecycle;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #uploadId: string | undefined;
  #parts: CompletedPart[] = [];
  #inFlight = new Map<number, { bytes: number; done: Promise<void> }>();
  #peak = 0;

  constructor(private readonly o: S3FileWriterOptions) {
    this.#life = new WriterLifecycle(o.shownPath, o.signal, () => this.#discard());
  }

  get bytesWritten(): number {
    return this.#bytes;
  }

  /** Bytes the writer holds now: the pending part plus parts being uploaded. */
  get bufferedBytes(): number {
    let n = this.#pendingBytes;
    for (const p of this.#inFlight.values()) n += p.bytes;
    return n;
  }

  /** The most bytes the writer has held at once; bounded by about `(queueSize + 1) * partSize`. */
  get peakBufferedBytes(): number {
    return this.#peak;
  }

  /** Parts uploaded so far (0 for an object that goes up as one PutObject). */
  get partCount(): number {
    return this.#parts.length + this.#inFlight.size;
  }

  write(chunk: Uint8Array): Promise<void> {
    return this.#life.write(async () => {
      if (chunk.byteLength === 0) return;
      this.#pending.push(Buffer.from(chunk)); // a copy: the caller may reuse its chunk once write resolves
      this.#pendingBytes += chunk.byteLength;
      this.#peak = Math.max(this.#peak, this.bufferedBytes);
      this.#bytes += chunk.byteLength;
      const nextPart = this.#parts.length + this.#inFlight.size + 1;
      if (this.#pendingBytes >= partSizeFor(this.o.partSize, nextPart)) {
        try {
          await this.#uploadPending();
        } catch (err) {
          throw this.#life.fail(err);
        }
      }
    });
  }

  async close(): Promise<WriteResult> {
    await this.#life.beginClose();
    const { client, loc, signal } = this.o;
    try {
      if (this.#uploadId === undefined) {
        const body = Buffer.concat(this.#pending, this.#pendingBytes);
        this.#pending = [];
        this.#pendingBytes = 0;
        await client.send(new PutObjectCommand({ Bucket: loc.bucket, Key: loc.key, Body: body, ContentLength: body.byteLength }), { abortSignal: signal });
      } else {
        if (this.#pendingBytes > 0) await this.#uploadPending();
        await Promise.all([...this.#inFlight.values()].map((p) => p.done));
        const parts = [...this.#parts].sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket: loc.bucket, Key: loc.key, UploadId: this.#uploadId, MultipartUpload: { Parts: parts } }),
          { abortSignal: signal },
        );
      }
    } catch (err) {
      await this.#life.discard();
      throw this.o.toError('close', this.#uploadId === undefined ? 'PutObject' : 'CompleteMultipartUpload', err);
    }
    return { size: this.#bytes };
  }

  abort(): Promise<void> {
    return this.#life.abort();
  }

  /** Starts an UploadPart of the pending bytes, after waiting for a free upload slot. */
  async #uploadPending(): Promise<void> {
    const { client, loc, signal, queueSize } = this.o;
    if (this.#uploadId === undefined) {
      try {
        const created = await client.send(new CreateMultipartUploadCommand({ Bucket: loc.bucket, Key: loc.key }), { abortSignal: signal });
        if (created.UploadId === undefined) throw new Error('CreateMultipartUpload returned no UploadId');
        this.#uploadId = created.UploadId;
      } catch (err) {
        throw this.o.toError('write', 'CreateMultipartUpload', err);
      }
    }
    while (this.#inFlight.size >= queueSize) await Promise.race([...this.#inFlight.values()].map((p) => p.done));
    const partNumber = this.#parts.length + this.#inFlight.size + 1;
    if (partNumber > MAX_PARTS) {
      throw new SluiceError('IO', `write ${this.o.shownPath}: the object needs more than ${MAX_PARTS} parts; raise partSize (now ${this.o.partSize} bytes)`);
    }
    const body = Buffer.concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    const uploadId = this.#uploadId;
    const done = client
      .send(new UploadPartCommand({ Bucket: loc.bucket, Key: loc.key, UploadId: uploadId, PartNumber: partNumber, Body: body, ContentLength: body.byteLength }), {
        abortSignal: signal,
      })
      .then(
        (res) => {
          this.#parts.push({ PartNumber: partNumber, ETag: res.ETag });
          this.#inFlight.delete(partNumber);
        },
        (err: unknown) => {
          this.#inFlight.delete(partNumber);
          throw this.#life.fail(this.o.toError('write', `UploadPart ${partNumber}`, err));
        },
      );
    done.catch(() => undefined); // observed by the next write, close or abort
    this.#inFlight.set(partNumber, { bytes: body.byteLength, done });
    this.#peak = Math.max(this.#peak, this.bufferedBytes);
  }

  /**
   * Drops the pending bytes, waits for parts in flight and aborts the multipart upload (run once, by the
   * lifecycle). The abort is sent without the writer's signal (which may be what aborted). If it fails too,
   * the parts stay invisible until a bucket lifecycle rule (AbortIncompleteMultipartUpload) removes them.
   */
  async #discard(): Promise<void> {
    this.#pending = [];
    this.#pendingBytes = 0;
    await Promise.allSettled([...this.#inFlight.values()].map((p) => p.done));
    if (this.#uploadId === undefined) return;
    const { client, loc } = this.o;
    await client.send(new AbortMultipartUploadCommand({ Bucket: loc.bucket, Key: loc.key, UploadId: this.#uploadId })).catch(() => undefined);
  }
}
