import { defineConfig } from 'drizzle-kit';

// The PostgreSQL mirror of drizzle.config.ts (SQLite); `npm run db:generate` generates both.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/pg/schema.ts', './src/pg/runtimeSchema.ts'],
  out: './migrations-pg',
});
