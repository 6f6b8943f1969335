import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';

/** One ListObjectsV2 page: objects and (with a delimiter) the common prefixes one level down. */
export interface S3ListPage {
  objects: Array<{ key: string; size: number; mtime: Date }>;
  prefixes: string[];
}

export interface S3ListRequest {
  bucket: string;
  prefix: string;
  /** `/` to list one level (sub-directories come as prefixes); none to list every key under the prefix. */
  delimiter?: string;
  /** Keys per page (MaxKeys), at most 1000. */
  pageSize: number;
  signal?: AbortSignal;
}

/**
 * Pages through ListObjectsV2 with its ContinuationToken, one request per page, yielding each page as it comes
 * (so memory holds one page). Keys come in S3's order (UTF-8 bytes). SDK errors are thrown as they are.
 */
export async function* listPages(client: S3Client, r: S3ListRequest): AsyncGenerator<S3ListPage> {
  let token: string | undefined;
  do {
    const res: ListObjectsV2CommandOutput = await client.send(
      new ListObjectsV2Command({ Bucket: r.bucket, Prefix: r.prefix, Delimiter: r.delimiter, MaxKeys: r.pageSize, ContinuationToken: token }),
      { abortSignal: r.signal },
    );
    yield {
      objects: (res.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ key: o.Key, size: o.Size ?? 0, mtime: o.LastModified ?? new Date(0) }])),
      prefixes: (res.CommonPrefixes ?? []).flatMap((p) => (p.Prefix === undefined ? [] : [p.Prefix])),
    };
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
}
