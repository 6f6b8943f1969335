import { newRunId, planIngestion, runPlannedIngestion, SpecError, systemClock } from '../../../src/index.js';
import type { DataSource, FeatureSet, IngestOptions, IngestResult } from '../../../src/index.js';
import { RedisStreamSource } from './redis-stream-source.js';
import { StreamCheckpoint } from './stream-checkpoint.js';
import { openStreamConnection } from './stream-connection.js';
import { StreamGroup } from './stream-group.js';
import { parseStreamOptions } from './stream-options.js';

/** Options of {@link runStreamIngestion}. */
export interface StreamIngestionOptions extends Omit<IngestOptions, 'source' | 'runId' | 'overwrite' | 'startTime' | 'endTime'> {
  /** The `redis-stream` source spec (default: the feature set's `spec.source`). */
  source?: DataSource;
  /**
   * Stop once the stream is drained: every cycle also ends when a block brings no new entry, and the loop ends
   * after such a cycle (a one-shot catch-up). Default false: cycles run until the signal fires.
   */
  drain?: boolean;
  /** Run ids of new cycles (default `newRunId()`); injectable for tests. */
  newRunId?: () => string;
  /** Called after each committed and acknowledged cycle. */
  onCycle?: (result: IngestResult, info: { entries: number; resumed: boolean }) => void;
}

/** What {@link runStreamIngestion} did before it stopped. */
export interface StreamIngestionSummary {
  cycles: number;
  /** Rows committed to the targets over all cycles. */
  rowsRead: number;
  /** Entries acknowledged over all cycles (rows plus bad and deleted entries). */
  entries: number;
  /** true when the signal stopped the loop (a cycle in flight was aborted, its entries left pending). */
  aborted: boolean;
}

/**
 * Ingests a Redis stream continuously: cycles of `runIngestion` (append, a new run id each) that each read at
 * most `max_events` entries or `flush_after_seconds` of them, commit every target, and only then XACK the
 * entries. The in-flight cycle (run id, target directories) is kept in the hash `<stream>:sluice:<group>`, so
 * a restarted process re-runs a crashed cycle under the same run id: its partial files are replaced, not
 * duplicated. An abort between cycles returns; during one it aborts the targets and acknowledges nothing.
 * A failing cycle rethrows (its entries stay pending and are reclaimed later).
 *
 * @example
 * const ac = new AbortController();
 * process.once('SIGTERM', () => ac.abort());
 * await runStreamIngestion(featureSet, { connectors: builtinConnectors(), signal: ac.signal });
 */
export async function runStreamIngestion(featureSet: FeatureSet, options: StreamIngestionOptions): Promise<StreamIngestionSummary> {
  const spec = options.source ?? featureSet.spec.source;
  if (!spec || spec.kind !== 'redis-stream') {
    throw new SpecError(`runStreamIngestion: feature set "${featureSet.name}" needs a redis-stream source, not ${JSON.stringify(spec?.kind)}`);
  }
  const streamOptions = parseStreamOptions(spec, { featureSetName: featureSet.name, ...(options.cwd ? { cwd: options.cwd } : {}) });
  const targets = options.targets ?? featureSet.spec.targets;
  const clock = options.clock ?? systemClock;
  const nextRunId = options.newRunId ?? (() => newRunId());
  const signal = options.signal;
  const conn = await openStreamConnection(streamOptions, options.secrets);
  const summary: StreamIngestionSummary = { cycles: 0, rowsRead: 0, entries: 0, aborted: false };
  try {
    const checkpoint = new StreamCheckpoint(conn, streamOptions.stream, streamOptions.group);
    const source = new RedisStreamSource(streamOptions, { connection: conn, checkpoint, untilIdle: options.drain === true, spec });
    let inFlight = await checkpoint.load();
    if (inFlight?.phase === 'acking') {
      // Every target committed that cycle before the crash: finish its acknowledgement, then start afresh.
      await new StreamGroup(conn, streamOptions).ack(inFlight.ackIds);
      await checkpoint.clear();
      inFlight = undefined;
    }
    while (!signal?.aborted) {
      const resumed = inFlight !== undefined;
      const runId = inFlight?.runId ?? nextRunId();
      // Append (overwrite false) writes into the directory of the run id the target's status holds, else its own;
      // a resumed cycle writes where the interrupted one wrote (same names: its partial files are replaced).
      const dirs = Object.fromEntries(targets.map((t) => [t.name, inFlight?.targets[t.name] ?? featureSet.status.getTarget(t.name)?.runId ?? runId]));
      await checkpoint.begin({ runId, consumer: streamOptions.consumer, targets: dirs }, clock());
      inFlight = undefined;
      let result: IngestResult;
      try {
        const plan = await planIngestion(featureSet, { ...options, source, runId, overwrite: false, appendTo: dirs }, options.connectors);
        result = await runPlannedIngestion(plan, { ...options, onStatus: (st) => featureSet.status.updateTarget(st) });
      } catch (err) {
        // Aborted (whichever stage noticed first): the targets were aborted and nothing was acknowledged.
        if (signal?.aborted) break;
        throw err;
      }
      const info = source.lastRead;
      summary.cycles++;
      summary.rowsRead += result.rowsRead;
      summary.entries += info.entries;
      options.onCycle?.(result, { entries: info.entries, resumed });
      if (options.drain && info.idle) break;
    }
    if (signal?.aborted) summary.aborted = true;
    return summary;
  } finally {
    await conn.close();
  }
}
