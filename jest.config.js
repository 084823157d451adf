/** @type {import('jest').Config} */
const fs = require('node:fs');

const swcOptions = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swcOptions.$schema;

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
  setupFiles: ['reflect-metadata'],
  maxWorkers: 2,
  testTimeout: 30000,
};
