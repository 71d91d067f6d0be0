import { performance } from 'node:perf_hooks';
import type BetterSqlite3 from 'better-sqlite3';
import { benchWorld, expectOk, growth, openEndedPeriod, rssSplitMb } from '../benchKit';
import type { Measure } from '../measure';

const large = Number(process.env.BENCH_EXPORT_RECORDS ?? 1_000_000);
const small = large / 10;

/**
 * Issue 12: the records export of 1,000,000 records streamed in ≤ 5 s with flat memory, and the
 * same at 100,000 (time per record compared). The records are put in with one bulk SQL statement
 * (untimed set-up); the engine's CSV stream is read to the end and its bytes counted. Memory is
 * sampled during each export: flat means the 1M export holds no more than the 100k one.
 */
async function exportRun(records: number) {
  const world = await benchWorld('sqlite');
  try {
    const { engine, orgId, db } = world;
    const coupon = expectOk(await engine.createCoupon(orgId, { name: 'Bench export', code: { type: 'common', value: 'BENCH10' }, activePeriod: openEndedPeriod() }));
    const sentAt = Date.now() - 3_600_000;
    db.$client
      .prepare(
        `with recursive n(i) as (select 1 union all select i + 1 from n where i < ?)
         insert into redemption_records (id, org_id, coupon_id, customer_id, inbox_id, channel, status, code, token, sent_at, opened_at, redeemed_at)
         select printf('rec_%012d', i), ?, ?, 'customer-' || i, 'inbox-bench', 'web', 'redeemed', 'BENCH10', 'tok-' || i, ? + i, ? + i, ? + i from n`,
      )
      .run(records, orgId, coupon.id, sentAt, sentAt + 1000, sentAt + 2000);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    // Anonymous memory only: SQLite memory-maps the file, and its mapped pages count as file-backed RSS.
    const anon = () => rssSplitMb().rssAnonMb!;
    const rssBefore = anon();
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, anon())), 50);
    const started = performance.now();
    const cpu = process.cpuUsage();
    const stream = expectOk(await engine.exportRecordsCsv(orgId, coupon.id, {}));
    let bytes = 0;
    let lines = 0;
    for await (const chunk of stream) {
      const text = typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
      bytes += Buffer.byteLength(text);
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = cpuSecondsSince(cpu);
    clearInterval(sampler);
    peakRss = Math.max(peakRss, anon());
    const floorCpu = process.cpuUsage();
    const floorSeconds = plainExportSeconds(db.$client, coupon.id);
    const floorCpuSeconds = cpuSecondsSince(floorCpu);
    if (lines !== records + 1) throw new Error(`the export had ${lines} lines, expected ${records} records and a header`);
    return { seconds, cpuSeconds, floorSeconds, floorCpuSeconds, bytes, peakRssMb: peakRss, growthMb: peakRss - rssBefore };
  } finally {
    await world.close();
  }
}

export const measure: Measure = {
  name: `export ${large.toLocaleString('en-US')} records as CSV (streamed)`,
  unit: 's',
  target: { atMost: 5 },
  async run() {
    const s = await exportRun(small);
    const l = await exportRun(large);
    return {
      figure: l.seconds,
      floor: { figure: l.floorSeconds, of: 'plain better-sqlite3 reading the same rows by keyset pages of 1,000 into CSV lines' },
      details: {
        runs: '1 run each size (the 100k run warms up)',
        cpuSeconds: l.cpuSeconds,
        floorCpuSeconds: l.floorCpuSeconds,
        recordsPerSecond: Math.round(large / l.seconds),
        csvMb: Math.round(l.bytes / 2 ** 20),
        seconds100k: Math.round(s.seconds * 1000) / 1000,
        growthPerRecord100kTo1M: growth({ items: small, seconds: s.seconds }, { items: large, seconds: l.seconds }),
        anonRssGrowthDuringExport100kMb: s.growthMb,
        anonRssGrowthDuringExport1MMb: l.growthMb,
        peakAnonRssDuringExport1MMb: l.peakRssMb,
        memoryFlat: l.growthMb <= s.growthMb + 32 ? 'yes' : 'no',
      },
    };
  },
};

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000) / 1000;
}

/** The floor: the same rows read by keyset pages of 1,000, newest first, joined into CSV lines and dropped. */
function plainExportSeconds(client: BetterSqlite3.Database, couponId: string): number {
  const page = client.prepare(
    `select id, coupon_id, customer_id, inbox_id, channel, status, code, sent_at, opened_at, redeemed_at, verified_at, expires_at, revoked_at, flow_run_id, node_id
     from redemption_records where coupon_id = ? and id < ? order by id desc limit 1000`,
  ).raw();
  const started = performance.now();
  let cursor = '\uffff';
  let bytes = 0;
  for (;;) {
    const rows = page.all(couponId, cursor) as unknown[][];
    if (!rows.length) break;
    bytes += rows.map((row) => row.map((cell) => (cell === null ? '' : typeof cell === 'number' ? new Date(cell).toISOString() : String(cell))).join(',')).join('\n').length;
    cursor = String(rows.at(-1)![0]);
  }
  if (!bytes) throw new Error('the plain export read nothing');
  return (performance.now() - started) / 1000;
}
