import './providedContext';

export * from './throwawayPostgres';
export * from './testDatabases';
export * from './migrationsAsOf';
