// Lint with type information: floating promises and misused promises are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // The console is linted through its own tsconfig (apps/console), which leaves out its specs: the
  // production build must not compile them.
  { ignores: ['dist/**', 'node_modules/**', '.test-tmp/**', 'bench/**', 'apps/console/*.mjs', 'apps/console/**/*.spec.ts', 'scripts/builtin/**', 'scripts/descriptor/**', 'scripts/*.mjs', 'libs/engine/src/script-api.d.ts', 'libs/engine/src/sandbox/isolated-vm-api.d.ts', '*.js', '*.mjs', 'test/run-suite.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // The command's launcher: plain CommonJS, run by Node as it is.
  {
    files: ['bin/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Test helpers read loosely-typed JSON answers.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
