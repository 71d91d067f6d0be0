export * from './schema';
export { openDatabase, writeTransaction, sqlitePathFromUrl, type Database, type DatabaseHandle, type OpenDatabaseOptions } from './openDatabase';
export { newId, newToken } from './ids';
export { databaseUrlFromEnv, databaseDialect, type DatabaseDialect } from './databaseUrlFromEnv';
export { insertPoolCodes, countInsertedPoolCodes } from './insertPoolCodes';
export * from './runtimeSchema';
export { prepared, bind } from './preparedQuery';
export { credentialCipher, keyFromSecret, type CredentialCipher } from './credentialCipher';
export { migratePostgres } from './pg/migratePostgres';
