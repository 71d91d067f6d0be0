export * from './schema';
export { openDatabase, writeTransaction, sqlitePathFromUrl, type Database, type DatabaseHandle, type OpenDatabaseOptions } from './openDatabase';
export { newId, newToken } from './ids';
export { databaseUrlFromEnv } from './databaseUrlFromEnv';
export { insertPoolCodes } from './insertPoolCodes';
export * from './runtimeSchema';
