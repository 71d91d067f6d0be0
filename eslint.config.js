import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// SPEC §1: each folder imports only what the layout table allows.
const boundaries = {
  db: [],
  coupons: ['@couponflow/db'],
  nodes: ['@couponflow/coupons'],
  channels: [],
  'flow-runtime': ['@couponflow/nodes', '@couponflow/channels', '@couponflow/coupons', '@couponflow/db'],
  'flow-editor': ['@couponflow/nodes'],
};
const tableNames = [
  'organisations', 'apiKeys', 'webSessions', 'coupons', 'couponCodes', 'codeBatches', 'couponAudience', 'redemptionRecords',
  'redemptionEvents', 'contacts', 'contactTags', 'inboxes', 'flows', 'flowVersions', 'flowRuns', 'outbox', 'processedEvents',
  'broadcasts', 'webchatMessages',
];
const allPackages = ['db', 'coupons', 'nodes', 'channels', 'flow-runtime', 'server', 'flow-editor'].map((p) => `@couponflow/${p}`);

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/migrations/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...Object.entries(boundaries).map(([folder, allowed]) => ({
    files: [`${folder}/**/*.ts`, `${folder}/**/*.tsx`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: allPackages
            .filter((p) => !allowed.includes(p) && p !== `@couponflow/${folder}`)
            .map((name) => ({ name, message: `SPEC §1: ${folder}/ may not import ${name}` })),
        },
      ],
    },
  })),
  // Queries run on SQLite and PostgreSQL alike (db/src/database.ts): tables come from `db.tables`,
  // and builders are awaited, never run with SQLite's synchronous methods.
  {
    files: ['coupons/**/*.ts', 'flow-runtime/**/*.ts', 'server/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@couponflow/db',
              importNames: tableNames,
              allowTypeImports: true,
              message: "take tables from db.tables (or the prepared builder's second argument): they belong to the database's dialect",
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[arguments.length=0] > MemberExpression.callee > Identifier.property[name=/^(get|all|run)$/]",
          message: 'SQLite-only: await the query builder instead (or use prepared(...).get/all/run(params))',
        },
      ],
    },
  },
);
