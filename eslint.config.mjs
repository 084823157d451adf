import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

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
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Only src/config.ts reads process.env.',
        },
      ],
    },
  },
  {
    files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
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
