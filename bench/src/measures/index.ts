import type { Measure } from '../measure';

/**
 * Every row of the benchmark table, in SPEC §7 order. Loaded lazily so each child process imports only
 * its own measure; add a row by adding a file under measures/ and an entry here.
 */
export const measures: Array<{ id: string; load: () => Promise<Measure> }> = [
  { id: 'generate-codes', load: async () => (await import('./generateCodes')).measure },
  { id: 'import-csv', load: async () => (await import('./importCsv')).measure },
  { id: 'distribute-redeem-common', load: async () => (await import('./distributeRedeem')).commonCodeCycles },
  { id: 'distribute-redeem-unique', load: async () => (await import('./distributeRedeem')).uniqueCodeCycles },
  { id: 'distribute-redeem-2-processes', load: async () => (await import('./twoProcessCycles')).twoProcessCycles },
  { id: 'distribute-redeem-common-postgres', load: async () => (await import('./distributeRedeem')).commonCodeCyclesPostgres },
  { id: 'distribute-redeem-unique-postgres', load: async () => (await import('./distributeRedeem')).uniqueCodeCyclesPostgres },
  { id: 'export-records', load: async () => (await import('./exportRecords')).measure },
  { id: 'broadcast', load: async () => (await import('./broadcast')).measure },
  { id: 'broadcast-postgres', load: async () => (await import('./broadcast')).measurePostgres },
  { id: 'redeem-page', load: async () => (await import('./redeemPage')).idle },
  { id: 'redeem-page-during-broadcast', load: async () => (await import('./redeemPage')).duringBroadcast },
  { id: 'editor-500-nodes', load: async () => (await import('./editorLoad')).measure },
  { id: 'editor-bundle', load: async () => (await import('./editorBundle')).measure },
  { id: 'inbound-webhook', load: async () => (await import('./inboundWebhook')).measure },
];
