#!/usr/bin/env node
/**
 * The `sluice` command line. The only place that wires connectors to the core by name.
 */
import { buildProgram } from './program.js';
import { exitWithError } from './output.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => exitWithError(err));
