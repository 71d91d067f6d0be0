// What vitest.globalSetup.ts provides to every test (the throwaway Redis).
declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
export {};
