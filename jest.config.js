/** @type {import('jest').Config} */
const fs = require('node:fs');

const swcOptions = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcOptions.$schema;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // jose is ESM-only: it is compiled to CommonJS with the tests.
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', swcOptions] },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  setupFiles: ['reflect-metadata'],
  maxWorkers: 2,
  testTimeout: 30000,
};
