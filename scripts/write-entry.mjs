// After tsc: dist/index.js (the package's main export) re-exports dist/src/index.js, and the CLI is executable.
import { chmodSync, writeFileSync } from 'node:fs';

writeFileSync('dist/index.js', "export * from './src/index.js';\n");
writeFileSync('dist/index.d.ts', "export * from './src/index.js';\n");
chmodSync('dist/src/cli/main.js', 0o755);
