// Child process of test/integration/run-db-multiprocess.test.ts: one writer hammering a shared SQLite run db.
// argv: <module url of the transpiled sqlite-run-db.js> <db path> <worker id> <runs> <start at epoch ms>
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const [moduleUrl, dbPath, worker, runsArg, startAtArg] = process.argv.slice(2);
const runs = Number(runsArg);
const project = 'mp';

try {
  await sleep(Math.max(0, Number(startAtArg) - Date.now()));
  const { SqliteRunDB } = await import(moduleUrl);
  const db = new SqliteRunDB({ path: dbPath });
  const wins = [];
  for (let i = 0; i < runs; i += 1) {
    const uid = `${worker}-${i}`;
    await db.storeRun({
      metadata: { uid, name: 'mp-run', project, labels: { worker } },
      status: { state: 'running', start_time: new Date().toISOString() },
    });
    await db.storeLog(uid, `run ${uid} started ✓\n`, { project });
    await db.storeLog('shared', `${worker} line ${i} ✓ ü\n`, { project });
    await db.updateRun(uid, { status: { state: 'completed', results: { i } } }, { project });
    if (i < 50 && (await db.tryLock(`lock-${i}`, worker, 600_000))) wins.push(i);
  }
  await db.close();
  process.stdout.write(JSON.stringify({ worker, wins }));
} catch (err) {
  process.stderr.write(`${err?.code ?? ''} ${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
