import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'build/', '**/.svelte-kit/', 'web/build/', 'test/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // One door: the CLI, the server and the bench use the engine through Engine (engine/engine.ts) alone.
    files: ['engine/cli/**/*.ts', 'engine/server/**/*.ts', 'engine/bench/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/*', '**/schema/*', '**/ingest/*', '**/ingest/**'],
              message: 'use Engine (engine/engine.ts): the CLI, the server and the bench have one door into the engine',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='db'][object.name=/^(engine|e|src|db)$/]",
          message: "use Engine's methods, not its database: the CLI, the server and the bench have one door",
        },
      ],
    },
  },
  {
    files: ['bin/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
