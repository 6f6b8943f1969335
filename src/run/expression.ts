/**
 * The safe expression language lives in `src/util/expression.ts` (the model layer checks notification conditions
 * with it at construction); the run layer keeps importing it from here.
 */
export * from '../util/expression.js';
