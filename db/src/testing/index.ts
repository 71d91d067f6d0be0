import './providedContext';

export * from './throwawayPostgres';
export * from './testDatabases';
