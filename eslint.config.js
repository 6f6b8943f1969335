// Lint: typescript-eslint's recommended rules over sources, connectors, tests and benchmarks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.sluice/**', 'coverage/**', 'bench/out/**', 'bench/.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript files (scripts, fixtures generators, benchmarks) run on Node.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'URL', 'performance', 'ReadableStream', 'Buffer', 'setTimeout', 'clearTimeout', 'setImmediate', 'setInterval', 'clearInterval', 'TextEncoder', 'TextDecoder', 'structuredClone', 'AbortController', 'fetch']
          .map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
);
