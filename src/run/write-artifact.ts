import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { SpecError } from '../errors.js';
import type { ArtifactRecord } from '../model/run-status.js';
import type { FileSystem } from '../storage/file-system.js';
import { artifactRecord } from './artifact-record.js';
import type { ArtifactInput } from './run-context.js';

/** Who logs the artifact: the run (or sweep child) it belongs to. */
export interface ArtifactOwner {
  uid: string;
  name: string;
  project: string;
  iteration: number;
}

async function* hashing(chunks: AsyncIterable<Uint8Array | string>, h: Hash): AsyncIterable<Uint8Array> {
  for await (const c of chunks) {
    const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
    h.update(b);
    yield b;
  }
}

/**
 * Writes an artifact into the directory `dir` of `fs` (`<artifact_path>/<uid>/<iteration>/`, local or S3) as
 * `<key>.<format>`, and returns its record in MLRun's shape (see {@link artifactRecord}) with the sha1 of the
 * bytes as `metadata.hash`. A local file (`localPath`) is streamed, never held whole in memory.
 */
export async function writeArtifact(fs: FileSystem, dir: string, key: string, input: ArtifactInput & { spec?: Record<string, unknown> }, owner: ArtifactOwner): Promise<ArtifactRecord> {
  if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new SpecError(`logArtifact: key "${key}" may hold only letters, digits, _ . -`);
  const h = createHash('sha1');
  let format = input.format;
  let target: string;
  let size: number;
  if (input.localPath !== undefined) {
    const src = input.localPath;
    const s = await stat(src).catch(() => undefined);
    if (!s?.isFile()) throw new SpecError(`logArtifact("${key}"): localPath ${src} ${s ? 'is not a file' : 'does not exist'}; give a file to copy`);
    format ??= extname(src).slice(1) || 'bin';
    target = fs.join(dir, `${key}.${format}`);
    ({ size } = await fs.write(target, hashing(createReadStream(src), h)));
  } else {
    const body = input.body;
    const isText = typeof body === 'string';
    const isBytes = body instanceof Uint8Array;
    format ??= isText ? 'txt' : isBytes ? 'bin' : 'json';
    const bytes = isBytes ? body : Buffer.from(isText ? body : `${JSON.stringify(body, null, 2)}\n`, 'utf8');
    h.update(bytes);
    target = fs.join(dir, `${key}.${format}`);
    ({ size } = await fs.write(target, bytes));
  }
  return artifactRecord({
    key,
    kind: input.kind,
    project: owner.project,
    iter: owner.iteration,
    tree: owner.uid,
    hash: h.digest('hex'),
    targetPath: target,
    format,
    size,
    producerName: owner.name,
    ...(input.labels ? { labels: input.labels } : {}),
    ...(input.spec ? { spec: input.spec } : {}),
  });
}
