import 'reflect-metadata';
import { loadConfig } from './src/config';
import { createDataSource } from './src/data-source';

// The DataSource of the TypeORM CLI (npm run migration:run, migration:generate). The gateway and
// the tests build their own from their configuration.
export default createDataSource(loadConfig().database);
