// What vitest.globalSetup.ts provides to every test: the throwaway Redis and PostgreSQL cluster.
declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    /** the cluster's `postgres` database; tests copy their own from the migrated template */
    postgresUrl: string;
  }
}
export {};
