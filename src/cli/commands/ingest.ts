import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { SpecError } from '../../errors.js';
import { FeatureSet } from '../../model/feature-set.js';
import { DataSource } from '../../model/data-source.js';
import { parseTime } from '../../util/time.js';
import { checkRunId } from '../../util/path-parts.js';
import { ingestFeatureSet } from '../../run/ingest-feature-set.js';
import { readBack } from '../../run/read-back.js';
import { builtinConnectors, builtinNotifiers } from '../../../connectors/registry.js';
import { openDbFor } from '../db-option.js';
import { printJson } from '../output.js';

interface IngestCliOptions {
  sourcePath?: string;
  runId?: string;
  overwrite?: boolean;
  startTime?: Date;
  endTime?: Date;
  json?: boolean;
  secrets?: string[];
  allowEmpty?: boolean;
  lockTimeout: number;
}

function lockSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 86_400) throw new InvalidArgumentError(`--lock-timeout "${v}" is not a number of seconds in 0..86,400`);
  return n;
}

const time = (what: string) => (v: string) => {
  try {
    return parseTime(v, what);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

/** Loads a feature set YAML, naming the file in any error. */
export async function loadFeatureSetFile(path: string): Promise<FeatureSet> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SpecError(`cannot read feature set file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return FeatureSet.fromYaml(text);
  } catch (err) {
    throw new SpecError(`${path}: ${(err as Error).message}`);
  }
}

/** `sluice ingest <featureset.yaml>`. */
export function registerIngest(program: Command): void {
  program
    .command('ingest <featureset>')
    .description('ingest a feature set (YAML) from its source into its targets, as a tracked run')
    .option('--source-path <path>', 'read this file or directory instead of spec.source.path')
    .option('--run-id <id>', 'the ingestion run id, <epoch_ms>_<n> or A-Z a-z 0-9 _ - (a retry with the same id rewrites the same files)', (v) => {
      try {
        return checkRunId(v, '--run-id');
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    })
    .option('--overwrite', 'replace the targets’ data (default unless the source has a schedule)')
    .option('--no-overwrite', 'append to the targets')
    .option('--start-time <time>', 'only rows with event time > this (ISO-8601; no offset means UTC)', time('--start-time'))
    .option('--end-time <time>', 'only rows with event time <= this', time('--end-time'))
    .option('--secrets <spec...>', 'secret sources, e.g. env=AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY or file=secrets.env')
    .option('--allow-empty', 'let an overwrite run that read 0 rows replace the targets’ data with nothing')
    .option('--lock-timeout <seconds>', 'wait this long when another run is ingesting the feature set (0: fail at once)', lockSeconds, 0)
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: IngestCliOptions, cmd: Command) => {
      const fs = await loadFeatureSetFile(file);
      const source = o.sourcePath ? new DataSource({ ...(fs.spec.source ? fs.spec.source.copy() : {}), path: o.sourcePath }) : undefined;
      if (source && !source.kind) throw new SpecError(`${file}: --source-path needs spec.source.kind in the feature set`);
      const db = await openDbFor(cmd);
      const tty = process.stderr.isTTY && !o.json;
      const bar = tty ? new cliProgress.SingleBar({ format: 'ingest {name} | {value} rows | {rate} rows/s | {elapsed}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
      const started = performance.now();
      bar?.start(0, 0, { name: fs.name, rate: 0, elapsed: 0 });
      try {
        const out = await ingestFeatureSet(fs, {
          db,
          connectors: builtinConnectors(),
          notifiers: await builtinNotifiers(),
          ...(source ? { source } : {}),
          ...(o.runId ? { runId: o.runId } : {}),
          ...(o.overwrite !== undefined ? { overwrite: o.overwrite } : {}),
          ...(o.startTime ? { startTime: o.startTime } : {}),
          ...(o.endTime ? { endTime: o.endTime } : {}),
          ...(o.secrets ? { secrets: o.secrets } : {}),
          ...(o.allowEmpty ? { allowEmpty: true } : {}),
          lockTimeoutMs: o.lockTimeout * 1000,
          raiseOnFailure: false,
          onProgress: (rows) => {
            const s = (performance.now() - started) / 1000;
            bar?.setTotal(rows);
            bar?.update(rows, { rate: Math.round(rows / Math.max(s, 1e-3)), elapsed: s.toFixed(1) });
          },
        });
        bar?.stop();
        const r = out.run;
        if (o.json) {
          printJson({ run: r.toJSON(), status: out.featureSet.status.toDict() });
        } else if ((await r.state()) === 'completed' && out.result) {
          const res = out.result;
          const secs = res.timings.totalMs / 1000;
          const targets = res.targets.map((t) => `${t.name}: ${t.rows} rows${t.files ? `, ${t.files} files` : ''}`).join('; ');
          process.stdout.write(
            `ingested ${res.rowsRead} rows of ${fs.uri} in ${secs.toFixed(2)} s (${Math.round(res.rowsRead / Math.max(secs, 1e-3))} rows/s)` +
              `${res.rowsSkipped || res.rowsQuarantined ? `, ${res.rowsSkipped} skipped, ${res.rowsQuarantined} quarantined` : ''}; ${targets}; run ${r.uid}\n`,
          );
          if (res.committed) {
            for (const t of res.targets) {
              const back = readBack(t.kind, t.path, t.runId ?? res.runId, file);
              process.stdout.write(`  ${t.name} (${t.kind}): ${back.location}\n    read back: ${back.command}\n`);
            }
          }
          for (const w of res.warnings) process.stderr.write(`warning: ${w}\n`);
        }
        if ((await r.state()) !== 'completed') {
          process.stderr.write(`sluice: error: ingestion of ${fs.uri} failed (run ${r.uid}): ${r.error}\n`);
          process.exitCode = 1;
        }
      } finally {
        bar?.stop();
        await db.close();
      }
    });
}
