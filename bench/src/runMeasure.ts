import { peakRssMb } from './benchKit';
import { describeTarget, meetsTarget, ratioToFloor, type MeasureResult } from './measure';
import { measures } from './measures/index';

/** Child process: runs the one measure named on the command line and sends its result to the parent. */
async function main(id: string): Promise<MeasureResult> {
  const entry = measures.find((m) => m.id === id);
  if (!entry) throw new Error(`no measure ${id}; known: ${measures.map((m) => m.id).join(', ')}`);
  const measure = await entry.load();
  const rssBeforeMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const { figure, floor, details, p99Ms, summary, peakRssMb: measuredPeak } = await measure.run();
  const peak = measuredPeak ?? peakRssMb();
  return {
    id,
    name: measure.name,
    figure: Math.round(figure * 1000) / 1000,
    unit: measure.unit,
    target: describeTarget(measure.target, measure.unit),
    pass: meetsTarget(measure.target, figure, peak, p99Ms),
    ...(summary ? { summary } : {}),
    peakRssMb: peak,
    ...(floor ? { floor, ratio: ratioToFloor(measure.unit, figure, floor) } : {}),
    details: { ...details, rssBeforeMb },
  };
}

const id = process.argv[2] ?? '';
const result = await main(id).catch(
  (error: Error): MeasureResult => ({ id, name: id, figure: null, unit: '', target: '', pass: false, peakRssMb: peakRssMb(), error: error.stack ?? String(error) }),
);
if (process.send) process.send(result);
else console.log(JSON.stringify(result));
