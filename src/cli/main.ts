#!/usr/bin/env node
/**
 * The `sluice` command line. The only place that wires connectors to the core by name.
 */
// Closing many files at commit runs fsync + rename on libuv's pool; the default 4 threads serialise them.
process.env.UV_THREADPOOL_SIZE ??= '16';
// The AWS SDK prints a multi-line Node-version notice (NodeVersionSupportWarning) before the first S3 call; errors
// here are one line. Its documented switch (aws/aws-sdk-js-v3#7983) silences only that notice; a user's own value wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { buildProgram } from './program.js';
import { exitQuietlyOnClosedStdout, exitWithError } from './output.js';

exitQuietlyOnClosedStdout();

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => exitWithError(err));
