#!/usr/bin/env node
/**
 * The `sluice` command line. The only place that wires connectors to the core by name.
 */
// Closing many files at commit runs fsync + rename on libuv's pool; the default 4 threads serialise them.
process.env.UV_THREADPOOL_SIZE ??= '16';

import { buildProgram } from './program.js';
import { exitQuietlyOnClosedStdout, exitWithError } from './output.js';

exitQuietlyOnClosedStdout();

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => exitWithError(err));
