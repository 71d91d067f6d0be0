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
);
