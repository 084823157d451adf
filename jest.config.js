/** @type {import('jest').Config} */
const fs = require('node:fs');
const path = require('node:path');

// Tests start `npm run ...` (the TypeORM CLI, the token command), which find `node` on the PATH:
// the Node.js running Jest comes first there, so they run on it too, with its better-sqlite3 build,
// whatever other Node.js the PATH holds. Jest's workers inherit this environment.
process.env.PATH = [path.dirname(process.execPath), process.env.PATH]
  .filter(Boolean)
  .join(path.delimiter);

const swcOptions = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcOptions.$schema;

const shared = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  // jose is ESM-only: it is compiled to CommonJS with the tests.
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFiles: ['reflect-metadata'],
};

// The end-to-end suite runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL names a
// server (each gateway of a test gets a schema of its own there). test/e2e/sqlite and
// test/e2e/postgres hold what only one database has: its settings, failures and processes.
const projects = [
  { ...shared, displayName: 'unit', roots: ['<rootDir>/test/unit'] },
  {
    ...shared,
    displayName: 'sqlite',
    roots: ['<rootDir>/test/e2e'],
    testPathIgnorePatterns: ['/test/e2e/postgres/'],
  },
];
if (process.env.TEST_DATABASE_URL) {
  projects.push({
    ...shared,
    displayName: 'postgres',
    roots: ['<rootDir>/test/e2e'],
    testPathIgnorePatterns: ['/test/e2e/sqlite/'],
    setupFiles: [...shared.setupFiles, '<rootDir>/test/support/on-postgres.ts'],
    globalSetup: '<rootDir>/test/support/postgres-setup.ts',
  });
}

module.exports = { projects, maxWorkers: 2, testTimeout: 30000 };
