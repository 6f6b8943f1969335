import type { RunDB } from '../run/db/run-db.js';
import type { FileSystem } from '../storage/file-system.js';

/** The outcome of "run now" on a schedule, as the API returns it. */
export interface RunNowOutcome {
  status: string;
  runUid?: string;
  error?: string;
}

/** What `sluice ui` serves from. Connector-backed features are functions wired by the CLI (src/ui imports no connector). */
export interface UiOptions {
  db: RunDB;
  /** When set, every page and API call needs it (cookie, `Authorization: Bearer`, or `?token=` once). */
  authToken?: string;
  /** Reads features of one entity key from a feature set's online (Redis) target; without it the page says so. */
  onlineLookup?: (featureSet: Record<string, unknown>, key: string, target?: string) => Promise<Record<string, unknown>[]>;
  /** Fires a schedule now (forced); without it the button is not shown. */
  runSchedule?: (schedule: Record<string, unknown>) => Promise<RunNowOutcome>;
  /** The file system of a target path, to read its manifests; default: local paths only. */
  fileSystemFor?: (path: string) => Promise<FileSystem | undefined>;
  /** The first rows of a Parquet file as JSON, for an artifact preview; without it Parquet artifacts only download. */
  previewParquet?: (path: string, rows: number) => Promise<Record<string, unknown>[]>;
  /** Clock for "next fire" and durations; default the system clock. */
  now?: () => Date;
}
