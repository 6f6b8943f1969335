// Child process of test/e2e/runs-heartbeat.test.ts: starts a tracked run whose handler never returns, prints its
// uid once the run is recorded as running, and keeps running until it is killed.
// argv: <module url of the built dist/src/index.js>
import process from 'node:process';

const [moduleUrl] = process.argv.slice(2);
try {
  const { run, newTask } = await import(moduleUrl);
  const handler = () => new Promise(() => setInterval(() => undefined, 1000));
  const r = await run(newTask({ name: 'forever', project: 'hb' }), handler, { wait: false });
  process.stdout.write(`${r.uid}\n`);
} catch (err) {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
