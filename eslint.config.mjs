// ESLint (flat config): typescript-eslint's recommended rules on every TypeScript file of the tree;
// formatting is Prettier's (eslint-config-prettier turns off the rules it owns). Generated files are
// left out here and checked by their own freshness checks in `npm test`.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      'operations/generated/**',
      '**/migrations/**',
      'router/dashboard/dist/**',
      'test-results/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.{ts,mts,cts,tsx}'],
    rules: {
      // `_`-prefixed parameters and variables are deliberately unused (positional callbacks, destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Entity and resolver classes are passed as `Function`, the type MikroORM and type-graphql take them as.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  {
    // The router keeps no AsyncLocalStorage: on Node 20 one entered store hooks every promise of the
    // process for good, up to a quarter of its CPU per request (bench/optimisations.md, entry 17).
    files: ['router/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@supergraph/kit',
              importNames: ['withLogScope', 'outsideLogScope', 'currentLogScope'],
              message: 'The router keeps no log scope: log the correlation id from the request (see requestErrorLog).',
            },
            { name: 'node:async_hooks', message: 'The router keeps no AsyncLocalStorage (optimisations entry 17).' },
            { name: 'async_hooks', message: 'The router keeps no AsyncLocalStorage (optimisations entry 17).' },
          ],
        },
      ],
    },
  },
  {
    // Tests and the bench read GraphQL answers whose shape the assertion itself states.
    files: ['test/**', '**/test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // CommonJS scripts (the source-loading hook, the Kubernetes migration runner) run in Node as they are.
    files: ['**/*.{js,cjs}'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
