// Child process of test/e2e/runs-abort.test.ts: a tracked run that only `sluice runs abort` ends.
// argv: <url of the built dist/connectors/index.js> <mode: task | ingest> <config JSON>
//   task:   a run whose handler waits for ctx.signal; prints its uid, then `signal aborted` when the signal fires.
//   ingest: an ingestion of transactions.csv into Parquet whose source, after its first batch, waits for the
//           signal; prints `batch` once the first batch was read, then `run <state>` when the ingestion ended.
import process from 'node:process';

const [moduleUrl, mode, configJson] = process.argv.slice(2);
const c = JSON.parse(configJson);
try {
  const sluice = await import(moduleUrl);
  if (mode === 'task') {
    const handler = (ctx) =>
      new Promise((_resolve, reject) => {
        const keepAlive = setInterval(() => undefined, 1000);
        ctx.signal.addEventListener('abort', () => {
          clearInterval(keepAlive);
          process.stdout.write('signal aborted\n');
          reject(ctx.signal.reason);
        }, { once: true });
      });
    const r = await sluice.run(sluice.newTask({ name: 'until-aborted', project: c.project }), handler, { wait: false });
    process.stdout.write(`${r.uid}\n`);
  } else {
    const base = sluice.builtinConnectors();
    const waitForAbort = (signal) => new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', resolve, { once: true })));
    const slow = (inner) =>
      new Proxy(inner, {
        get(target, key) {
          if (key !== 'read') {
            const v = target[key];
            return typeof v === 'function' ? v.bind(target) : v;
          }
          return (o = {}) =>
            (async function* () {
              for await (const batch of target.read(o)) {
                yield batch;
                process.stdout.write('batch\n');
                const keepAlive = setInterval(() => undefined, 1000);
                await waitForAbort(o.signal);
                clearInterval(keepAlive);
                process.stdout.write('source saw the signal\n');
              }
            })();
        },
      });
    const connectors = { ...base, createSource: async (spec, ctx) => slow(await base.createSource(spec, ctx)) };
    const fs = new sluice.FeatureSet({
      name: 'tx',
      project: c.project,
      entities: ['user_id'],
      timestampKey: 'ts',
      source: { kind: 'csv', path: c.csv, attributes: { batch_size: 500 } },
      targets: [{ name: 'offline', kind: 'parquet', path: c.target }],
    });
    const { run } = await sluice.ingest(fs, { connectors, raiseOnFailure: false });
    process.stdout.write(`run ${await run.state()}\n`);
  }
} catch (err) {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
