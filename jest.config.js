/**
 * Unit specs sit beside their code under libs/ and apps/; end-to-end specs live in test/.
 * isolated-vm needs Node started with --no-node-snapshot:
 *   NODE_OPTIONS=--no-node-snapshot npx jest libs/engine
 */
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swcTransform },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
};

/** @type {import('jest').Config} */
module.exports = {
  // End-to-end files start their own server processes on their own database copies.
  testTimeout: 60_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Tests under test/postgres-only/ need several server processes on one PostgreSQL database.
      testPathIgnorePatterns: [
        '/node_modules/',
        '<rootDir>/test/browser/',
        ...(process.env.HOOKLINE_TEST_DB === 'postgres' ? [] : ['<rootDir>/test/postgres-only/']),
      ],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
    },
    // The console in Chromium. The browser sees the same API on either database, so these run
    // in the PGlite run only.
    ...(process.env.HOOKLINE_TEST_DB === 'postgres'
      ? []
      : [
          {
            ...shared,
            displayName: 'browser',
            testMatch: ['<rootDir>/test/browser/**/*.e2e-spec.ts'],
            globalSetup: '<rootDir>/test/support/global-setup.ts',
          },
        ]),
  ],
};
