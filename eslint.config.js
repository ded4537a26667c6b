// Lint: typescript-eslint with type information. Server code never writes to the console
// (stdout carries the protocol on stdio); promises are never left floating; imports are sorted
// (Prettier settles the rest of the layout: `make format`).
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results/**', '.hearth-demo/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { 'simple-import-sort': simpleImportSort },
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['bin/*.js', 'scripts/*.mjs', 'bench/surface/*.mjs', 'eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      'no-console': 'error',
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      // Handlers and previews are async by contract even when they have nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../shared/BRIEF*', '../../shared/BRIEF*'], message: 'never import from the hand-outs beside the repo' }] },
      ],
    },
  },
  {
    // Tests, benchmarks, scripts and the CLI's own output may print.
    files: ['tests/**', 'bench/**', 'scripts/**', 'docs/**', 'bin/**', 'orchestrator/cli-io.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // The prelude runs inside an isolate, where nothing of Node or of a browser exists. It takes
    // built-ins off their prototypes on purpose, before user code can patch them, and passes on
    // whatever user code throws as it is.
    files: ['servers/code/sandbox/prelude.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      'no-restricted-globals': [
        'error',
        ...['process', 'require', 'module', 'Buffer', 'global', 'setImmediate', 'queueMicrotask', 'window', 'document', 'navigator'].map(
          (name) => ({ name, message: 'the isolate has no such global' }),
        ),
      ],
    },
  },
  {
    files: ['bin/*.js', 'scripts/*.mjs', 'eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
