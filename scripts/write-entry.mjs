// After tsc: dist/index.js (the package main export) re-exports dist/connectors/index.js (core + built-in connectors), and the CLI is executable.
import { chmodSync, writeFileSync } from 'node:fs';

writeFileSync('dist/index.js', "export * from './connectors/index.js';\n");
writeFileSync('dist/index.d.ts', "export * from './connectors/index.js';\n");
chmodSync('dist/src/cli/main.js', 0o755);
