// What vitest.globalSetup.ts provides to every test (the throwaway Redis and PostgreSQL cluster).
import '@couponflow/db/testing';
