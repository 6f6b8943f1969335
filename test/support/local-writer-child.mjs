// Child process of test/unit/storage/crash.test.ts: writes a file through LocalFileSystem.createWriter and
// reports progress so the test can SIGKILL it mid-write. After <fast MiB> written at full speed it keeps writing
// small chunks every few milliseconds and never closes the writer, so the kill always lands mid-write.
// argv: <module url of the transpiled local-file-system.js> <target path> <fast MiB>
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const [moduleUrl, target, fastMiBArg] = process.argv.slice(2);
const MiB = 1024 * 1024;

try {
  const { LocalFileSystem } = await import(moduleUrl);
  const fs = new LocalFileSystem();
  const writer = await fs.createWriter(target);
  const big = new Uint8Array(MiB).fill(0x5a);
  for (let i = 0; i < Number(fastMiBArg); i += 1) await writer.write(big);
  process.stdout.write(`written ${writer.bytesWritten}\n`);
  const small = new Uint8Array(64 * 1024).fill(0x5b);
  for (;;) {
    await writer.write(small);
    await sleep(5);
  }
} catch (err) {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exitCode = 1;
}
