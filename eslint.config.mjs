import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const ENV_READ = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Only src/config.ts reads process.env.',
};
// Named imports from the file that defines them (graphql-js): no barrel modules.
const BARREL = {
  selector:
    'ExportAllDeclaration[source.value=/^\\./], ExportNamedDeclaration[source.value=/^\\./]',
  message: 'Export from the file that defines it: no barrels.',
};

// Each module (meetings/, directory/) is three layers: graphql/ (the GraphQL face: types,
// inputs, resolvers) over domain/ (services, rules, validation, models) over storage/ (tables,
// repositories, SQL). A layer imports only the layers below it; meetings/ reaches directory/
// only through its domain (DirectoryService and its model), and directory/ knows nothing of
// meetings/. The infrastructure under them (db/, auth/, limits/, http/, observability/, the error
// and validation helpers) knows no module.
const MODULES = ['meetings', 'directory'];
const INFRASTRUCTURE = [
  './src/db',
  './src/auth',
  './src/limits',
  './src/http',
  './src/live',
  './src/shared-state',
  './src/observability',
  './src/errors.ts',
  './src/validation.ts',
  './src/logger.ts',
  './src/config.ts',
  './src/config',
  './src/idempotency',
  './src/request-context.ts',
  './src/scalars.ts',
];
// What of its module's domain a storage layer may import: the shapes it stores and reads.
const STORAGE_MAY_USE = {
  meetings: [
    './meeting.model.ts',
    './meeting-codes.ts',
    './meeting-search.ts',
    './meeting-changes.ts',
  ],
  directory: ['./directory.model.ts'],
};
const FENCES = [
  ...MODULES.flatMap((m) => [
    {
      target: `./src/${m}/domain`,
      from: `./src/${m}/graphql`,
      message: 'The domain never sees the GraphQL face.',
    },
    {
      target: `./src/${m}/storage`,
      from: `./src/${m}/graphql`,
      message: 'Storage never sees the GraphQL face.',
    },
    {
      target: `./src/${m}/storage`,
      from: `./src/${m}/domain`,
      except: STORAGE_MAY_USE[m],
      message:
        'Storage sits under the domain: it may use its models, codes and checked search only.',
    },
    {
      target: `./src/${m}/graphql`,
      from: `./src/${m}/storage`,
      message: 'Resolvers reach storage through the service.',
    },
  ]),
  {
    target: './src/directory',
    from: './src/meetings',
    message:
      'The directory knows nothing of meetings; meetings listen to it (DirectoryService.onChange).',
  },
  {
    target: './src/meetings',
    from: './src/directory',
    except: ['./domain'],
    message: 'Meetings reach the directory through its domain: DirectoryService and its model.',
  },
  {
    target: INFRASTRUCTURE,
    from: [
      './src/meetings',
      './src/directory',
      './src/relay',
      './src/federation',
      './src/demo',
      './src/context.ts',
      './src/schema.ts',
      './src/app.ts',
    ],
    message: 'The infrastructure knows no module.',
  },
  {
    target: ['./src/relay', './src/federation', './src/context.ts', './src/schema.ts'],
    from: ['./src/meetings/storage', './src/directory/storage'],
    message: 'The GraphQL side reaches storage through the services.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'coverage/**',
      'data/**',
      'jest.config.js',
      'test/artifacts/**',
      // A project of its own, type-checked by its own tsc (.ci/run).
      'examples/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'import/no-cycle': 'error',
      'import/no-default-export': 'error',
      'no-restricted-syntax': ['error', ENV_READ, BARREL],
    },
  },
  {
    files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', BARREL] },
  },
  {
    // Tests read JSON responses field by field.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Their tools load the default export.
    files: ['ormconfig.ts', 'eslint.config.mjs', 'test/support/postgres-setup.ts'],
    rules: { 'import/no-default-export': 'off' },
  },
  {
    // A landed migration carries its own SQL: it imports nothing that can change.
    files: ['src/migrations/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['.*', '!typeorm'] }] },
  },
  {
    // The domain and storage layers never see GraphQL, TypeGraphQL or Apollo.
    files: [
      'src/*/domain/**/*.ts',
      'src/*/storage/**/*.ts',
      'src/idempotency/idempotency.ts',
      'src/idempotency/idempotency.repository.ts',
      'src/idempotency/*.entity.ts',
      'src/db/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['graphql', 'type-graphql', '@apollo/*'] }],
    },
  },
  {
    // The fences between layers and modules (docs/architecture.md), type imports included.
    files: ['src/**/*.ts'],
    rules: { 'import/no-restricted-paths': ['error', { zones: FENCES }] },
  },
);
