import { describe, expect, it } from 'vitest';
import { databaseDialect, databaseUrlFromEnv } from './databaseUrlFromEnv';

describe('DATABASE_URL', () => {
  it('defaults to a SQLite file in the data dir', () => {
    const url = databaseUrlFromEnv({ DATA_DIR: '/srv/couponflow' });
    expect(url).toBe('file:/srv/couponflow/couponflow.db');
    expect(databaseDialect(url)).toBe('sqlite');
  });

  it('keeps file: URLs, plain paths and :memory: on SQLite', () => {
    expect(databaseDialect('file:data/couponflow.db')).toBe('sqlite');
    expect(databaseDialect('FILE:/var/lib/couponflow.db')).toBe('sqlite');
    expect(databaseDialect('./data/couponflow.db')).toBe('sqlite');
    expect(databaseDialect(':memory:')).toBe('sqlite');
  });

  it('recognises postgres:// and postgresql:// as PostgreSQL', () => {
    expect(databaseDialect(databaseUrlFromEnv({ DATABASE_URL: 'postgres://app:secret@db.internal:5432/couponflow' }))).toBe('postgres');
    expect(databaseDialect('postgresql://app@localhost/couponflow?sslmode=require')).toBe('postgres');
  });

  it('refuses any other scheme, naming the accepted forms without echoing the password', () => {
    const refusal = () => databaseDialect('mysql://app:hunter2@db.internal/couponflow');
    expect(refusal).toThrow(/file:<path>.*postgres:\/\//);
    expect(refusal).toThrow(/got a mysql: URL/);
    expect(refusal).not.toThrow(/hunter2/);
    expect(() => databaseDialect('sqlite:///data/couponflow.db')).toThrow(/got a sqlite: URL/);
  });
});
