// Set by the "postgres" Jest project: every TestGateway of its test files runs on PostgreSQL.
process.env.TEST_DIALECT = 'postgres';
