import type { CodegenConfig } from '@graphql-codegen/cli';

// The contract is the gateway's schema.graphql: no running server is needed to generate the types.
const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', '!src/gql/**/*'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        // Plain fetch needs no DocumentNode: each operation is a typed string.
        fragmentMasking: false,
      },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          UUID: 'string',
          DateTime: 'string',
        },
      },
    },
  },
};

export default config;
