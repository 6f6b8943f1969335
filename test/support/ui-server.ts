import { spawn, type ChildProcess } from 'node:child_process';
import { CLI } from './cli.js';

/** A `sluice ui` process of the built CLI on a free loopback port. */
export interface UiProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts `sluice [--db url] ui --port 0 [...extra]` in `cwd` and waits for the URL it prints. */
export function startUiProcess(cwd: string, extra: string[] = [], db?: string): Promise<UiProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...(db ? ['--db', db] : []), 'ui', '--port', '0', '--host', '127.0.0.1', ...extra], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sluice ui did not start in 20 s: ${out}${err}`)), 20_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`sluice ui exited with ${code}: ${err}`)));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /sluice ui: (http:\/\/\S+?)\/?\n/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: m[1],
        stop: () =>
          new Promise<void>((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
