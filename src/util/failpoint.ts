/**
 * A crash point for fault tests: when the environment variable `SLUICE_FAILPOINT` names this point, the process
 * kills itself with SIGKILL right here, as a power cut or an OOM kill would. Unset (always, outside tests), it
 * does nothing. Points: `before-manifest` (every data file is final, no manifest yet), `after-manifest`
 * (manifest written, no `_SUCCESS`), `after-commit` (every target committed, the feature set's status not yet
 * stored).
 */
export function failpoint(name: string): void {
  if (process.env.SLUICE_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
