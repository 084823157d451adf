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
    // Services are the domain: they never see GraphQL, TypeGraphQL or Apollo.
    files: [
      'src/**/*.service.ts',
      'src/**/*.repository.ts',
      'src/**/meeting-*.ts',
      'src/**/*.model.ts',
    ],
    ignores: ['src/**/*.resolver.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['graphql', 'type-graphql', '@apollo/*', '*.resolver', '*.types', '*.inputs'] },
      ],
    },
  },
);
