import { Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import type { HeadObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { NotSupportedError, SluiceError, SpecError, checkRange, throwIfAborted, writeBody } from '../../src/index.js';
import type { FileReadOptions, FileStat, FileSystem, FileSystemCapabilities, ListOptions, OpenRead, WriteBody, WriteResult } from '../../src/index.js';
import { createS3Client, deleteKeys } from './s3-client.js';
import { describeEndpoint, isNoSuchKey, s3Error, s3ErrorCode, s3Status } from './s3-error.js';
import type { S3ErrorContext } from './s3-error.js';
import { S3FileWriter } from './s3-file-writer.js';
import { listPages } from './s3-list.js';
import { resolveS3Options } from './s3-options.js';
import type { CredentialsSource, ResolvedS3Options, S3FileSystemOptions } from './s3-options.js';
import { basenameS3, dirPrefix, dirnameS3, joinS3, parseS3Path } from './s3-path.js';
import type { S3Location } from './s3-path.js';

type SignalOptions = { signal?: AbortSignal };

/** The largest object one CopyObject can copy. */
const MAX_COPY_BYTES = 5 * 1024 * 1024 * 1024;
const byPath = (a: FileStat, b: FileStat): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
/** Directories have no modification time on S3. */
const NO_MTIME = new Date(0);

/** True when some segment of a key relative to a listed prefix starts with `.` (staging and other hidden files). */
function isHiddenKey(rel: string): boolean {
  return rel.split('/').some((seg) => seg.startsWith('.'));
}

/**
 * The S3 file system: `s3://bucket/key` paths on AWS S3 or any S3-compatible endpoint (MinIO, moto). A
 * directory is a key prefix with objects under it. Writes publish the final key only when complete (one
 * PutObject, or a completed multipart upload); `rename` is CopyObject + DeleteObject and not atomic, so
 * Sluice's writers write final keys directly. Requests are retried with backoff on throttling, 5xx and network
 * errors (`maxAttempts`, default 5). Errors name the path, the S3 call, bucket, key, endpoint and where the
 * credentials came from — never a secret.
 * @example
 * const fs = new S3FileSystem({ storageOptions: { endpoint_url: 'http://127.0.0.1:9000', key: 'minio', secret: '…' } });
 * await fs.write('s3://lake/fs/part-0.csv', 'a,b\n1,2\n');
 * const head = await fs.read('s3://lake/fs/part-0.csv', { range: { start: 0, end: 4 } });
 */
export class S3FileSystem implements FileSystem {
  readonly scheme = 's3';
  readonly capabilities: FileSystemCapabilities = Object.freeze({ atomicRename: false, rangedReads: true, appendInPlace: false });
  /** The SDK client; `destroy()` closes its sockets. */
  readonly client: S3Client;
  readonly #o: ResolvedS3Options;
  readonly #ctx: S3ErrorContext;

  constructor(options: S3FileSystemOptions = {}) {
    const o = resolveS3Options(options);
    this.#o = o;
    this.#ctx = { endpoint: describeEndpoint(o.endpoint, o.region), credentials: o.credentialsDescription };
    this.client = createS3Client(o);
  }

  /** Where the credentials came from: `storage_options`, `secrets` or `default chain`. */
  get credentialsSource(): CredentialsSource {
    return this.#o.credentialsSource;
  }

  /** The custom endpoint in use, or undefined for AWS; `endpointSource` says where it came from. */
  get endpoint(): string | undefined {
    return this.#o.endpoint;
  }

  get endpointSource(): string | undefined {
    return this.#o.endpointSource;
  }

  /** The settings in force, without the credentials. */
  get settings(): Omit<ResolvedS3Options, 'credentials'> {
    const { credentials: _omitted, ...rest } = this.#o;
    return rest;
  }

  /** `openRead` as a free function, for `SourceContext.openRead` of the CSV and JSONL sources. */
  asOpenRead(): OpenRead {
    return (path, o) => this.openRead(path, o);
  }

  /** Closes the client's sockets; the file system is unusable afterwards. */
  destroy(): void {
    this.client.destroy();
  }

  #error(op: string, path: string, s3Call: string, loc: S3Location, err: unknown): SluiceError {
    return s3Error(op, path, s3Call, loc, err, this.#ctx);
  }

  async #head(op: string, path: string, loc: S3Location, signal?: AbortSignal): Promise<HeadObjectCommandOutput | undefined> {
    try {
      return await this.client.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: loc.key }), { abortSignal: signal });
    } catch (err) {
      if (isNoSuchKey(err)) return undefined;
      throw this.#error(op, path, 'HeadObject', loc, err);
    }
  }

  async stat(path: string, o: SignalOptions = {}): Promise<FileStat | undefined> {
    throwIfAborted(o.signal, 'stat', path);
    const loc = parseS3Path(path, 'stat');
    if (loc.key === '') {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: loc.bucket }), { abortSignal: o.signal });
      } catch (err) {
        // A HEAD answer has no error code: a 404 here means the bucket is missing.
        const missing = s3Status(err) === 404 ? Object.assign(new Error('no such bucket'), { name: 'NoSuchBucket', cause: err }) : err;
        throw this.#error('stat', path, 'HeadBucket', loc, missing);
      }
      return { path, size: 0, mtime: NO_MTIME, isDirectory: true };
    }
    if (!loc.key.endsWith('/')) {
      const head = await this.#head('stat', path, loc, o.signal);
      if (head !== undefined) return { path, size: head.ContentLength ?? 0, mtime: head.LastModified ?? NO_MTIME, isDirectory: false };
    }
    try {
      for await (const page of listPages(this.client, { bucket: loc.bucket, prefix: dirPrefix(loc.key), pageSize: 1, signal: o.signal })) {
        return page.objects.length > 0 || page.prefixes.length > 0 ? { path, size: 0, mtime: NO_MTIME, isDirectory: true } : undefined;
      }
    } catch (err) {
      throw this.#error('stat', path, 'ListObjectsV2', loc, err);
    }
    return undefined;
  }

  async *list(prefix: string, o: ListOptions = {}): AsyncIterable<FileStat> {
    throwIfAborted(o.signal, 'list', prefix);
    const loc = parseS3Path(prefix, 'list');
    const pfx = dirPrefix(loc.key);
    const level: FileStat[] = [];
    const pages = listPages(this.client, { bucket: loc.bucket, prefix: pfx, delimiter: o.recursive ? undefined : '/', pageSize: this.#o.listPageSize, signal: o.signal });
    try {
      for await (const page of pages) {
        throwIfAborted(o.signal, 'list', prefix);
        for (const obj of page.objects) {
          const rel = obj.key.slice(pfx.length);
          if (rel === '' || rel.endsWith('/')) continue; // directory marker objects
          if (!o.includeHidden && isHiddenKey(rel)) continue;
          const stat = { path: this.join(prefix, rel), size: obj.size, mtime: obj.mtime, isDirectory: false };
          // S3 lists keys in byte order, which is path order for a recursive listing; one level is sorted below.
          if (o.recursive) yield stat;
          else level.push(stat);
        }
        for (const p of page.prefixes) {
          const name = p.slice(pfx.length).replace(/\/+$/, '');
          if (name === '' || (!o.includeHidden && name.startsWith('.'))) continue;
          level.push({ path: this.join(prefix, name), size: 0, mtime: NO_MTIME, isDirectory: true });
        }
      }
    } catch (err) {
      throw this.#error('list', prefix, 'ListObjectsV2', loc, err);
    }
    level.sort(byPath);
    yield* level;
  }

  /** Sends GetObject for the whole object or a range; `undefined` for a range that starts past the end. */
  async #get(op: string, path: string, o: FileReadOptions): Promise<Readable | undefined> {
    throwIfAborted(o.signal, op, path);
    const loc = parseS3Path(path, op);
    const range = o.range;
    if (range !== undefined) {
      checkRange(range, op, path);
      if (range.end === range.start) {
        if ((await this.#head(op, path, loc, o.signal)) === undefined) throw this.#error(op, path, 'HeadObject', loc, { name: 'NoSuchKey' });
        return undefined;
      }
    }
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end - 1}` }) }),
        { abortSignal: o.signal },
      );
      if (!(res.Body instanceof Readable)) throw new SluiceError('IO', `${op} ${path}: GetObject returned no readable body`);
      return res.Body;
    } catch (err) {
      if (range !== undefined && (s3ErrorCode(err) === 'InvalidRange' || s3Status(err) === 416)) return undefined; // the object exists
      throw this.#error(op, path, 'GetObject', loc, err);
    }
  }

  async read(path: string, o: FileReadOptions = {}): Promise<Uint8Array> {
    const body = await this.#get('read', path, o);
    if (body === undefined) return new Uint8Array(0);
    const parts: Buffer[] = [];
    try {
      for await (const c of body) parts.push(c as Buffer);
    } catch (err) {
      throw this.#error('read', path, 'GetObject', parseS3Path(path, 'read'), err);
    }
    return Buffer.concat(parts);
  }

  async openRead(path: string, o: FileReadOptions = {}): Promise<Readable> {
    const body = await this.#get('openRead', path, o);
    if (body === undefined) return Readable.from([]);
    if (o.signal !== undefined) {
      const signal = o.signal;
      const onAbort = (): void => void body.destroy(this.#error('openRead', path, 'GetObject', parseS3Path(path, 'openRead'), { name: 'AbortError' }));
      signal.addEventListener('abort', onAbort, { once: true });
      body.once('close', () => signal.removeEventListener('abort', onAbort));
    }
    return body;
  }

  async write(path: string, body: WriteBody, o: SignalOptions = {}): Promise<WriteResult> {
    const writer = await this.createWriter(path, o);
    return writeBody(writer, body, path, o.signal);
  }

  async createWriter(path: string, o: SignalOptions = {}): Promise<S3FileWriter> {
    throwIfAborted(o.signal, 'createWriter', path);
    const loc = parseS3Path(path, 'createWriter');
    if (loc.key === '' || loc.key.endsWith('/')) throw new SpecError(`createWriter ${path}: not a file path; expected s3://<bucket>/<key> with a key that does not end in /`);
    return new S3FileWriter({
      client: this.client,
      loc,
      shownPath: path,
      partSize: this.#o.partSize,
      queueSize: this.#o.queueSize,
      signal: o.signal,
      toError: (op, s3Call, err) => this.#error(op, path, s3Call, loc, err),
    });
  }

  async rename(from: string, to: string, o: SignalOptions = {}): Promise<void> {
    throwIfAborted(o.signal, 'rename', from);
    const shown = `${from} to ${to}`;
    const src = parseS3Path(from, 'rename');
    const dst = parseS3Path(to, 'rename');
    const head = await this.#head('rename', shown, src, o.signal);
    if (head === undefined) throw this.#error('rename', shown, 'HeadObject', src, { name: 'NoSuchKey' });
    if (src.bucket === dst.bucket && src.key === dst.key) return;
    if ((head.ContentLength ?? 0) > MAX_COPY_BYTES) {
      throw new NotSupportedError(`rename ${shown}: the object is larger than 5 GiB, which one CopyObject cannot copy; write the final key directly`);
    }
    const copySource = `${src.bucket}/${encodeURIComponent(src.key).replace(/%2F/g, '/')}`;
    try {
      await this.client.send(new CopyObjectCommand({ Bucket: dst.bucket, Key: dst.key, CopySource: copySource }), { abortSignal: o.signal });
    } catch (err) {
      throw this.#error('rename', shown, 'CopyObject', dst, err);
    }
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: src.bucket, Key: src.key }), { abortSignal: o.signal });
    } catch (err) {
      throw this.#error('rename', shown, 'DeleteObject', src, err);
    }
  }

  async delete(paths: string | string[], o: SignalOptions = {}): Promise<void> {
    const list = typeof paths === 'string' ? [paths] : paths;
    throwIfAborted(o.signal, 'delete', list[0] ?? '');
    const byBucket = new Map<string, string[]>();
    for (const p of list) {
      const loc = parseS3Path(p, 'delete');
      if (loc.key === '') throw new SpecError(`delete ${p}: is a bucket root; use deletePrefix() on a directory below it`);
      const keys = byBucket.get(loc.bucket) ?? [];
      keys.push(loc.key);
      byBucket.set(loc.bucket, keys);
    }
    for (const [bucket, keys] of byBucket) {
      for (let i = 0; i < keys.length; i += this.#o.deleteBatchSize) {
        await deleteKeys(this.client, bucket, keys.slice(i, i + this.#o.deleteBatchSize), 'delete', this.#ctx, o.signal);
      }
    }
  }

  async deletePrefix(prefix: string, o: SignalOptions = {}): Promise<number> {
    throwIfAborted(o.signal, 'deletePrefix', prefix);
    if (/^\/*$/.test(prefix.trim())) {
      throw new SpecError(`deletePrefix ${JSON.stringify(prefix)}: refusing to delete the root; pass a directory such as s3://bucket/targets/my-set`);
    }
    const loc = parseS3Path(prefix.trim(), 'deletePrefix');
    if (loc.key.replace(/\/+$/, '') === '') {
      throw new SpecError(`deletePrefix ${JSON.stringify(prefix)}: refusing to delete the whole bucket "${loc.bucket}"; pass a directory below the bucket root`);
    }
    let count = 0;
    const file = loc.key.endsWith('/') ? undefined : await this.#head('deletePrefix', prefix, loc, o.signal);
    if (file !== undefined) {
      await deleteKeys(this.client, loc.bucket, [loc.key], 'deletePrefix', this.#ctx, o.signal);
      count += 1;
    }
    try {
      // Each page is deleted before the next is listed: memory holds one page.
      for await (const page of listPages(this.client, { bucket: loc.bucket, prefix: dirPrefix(loc.key), pageSize: this.#o.deleteBatchSize, signal: o.signal })) {
        const keys = page.objects.map((x) => x.key);
        if (keys.length === 0) continue;
        await deleteKeys(this.client, loc.bucket, keys, 'deletePrefix', this.#ctx, o.signal);
        count += keys.filter((k) => !k.endsWith('/')).length;
      }
    } catch (err) {
      throw this.#error('deletePrefix', prefix, 'ListObjectsV2', loc, err);
    }
    return count;
  }

  join(...parts: string[]): string {
    return joinS3(...parts);
  }

  dirname(path: string): string {
    return dirnameS3(path);
  }

  basename(path: string): string {
    return basenameS3(path);
  }
}
