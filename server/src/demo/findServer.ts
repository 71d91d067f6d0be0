import type { Config } from '../config';
import { DemoError } from './demoError';

/**
 * The running `npm start` this demo seeds: tried on this machine's PORT first, then at PUBLIC_URL
 * (when the server sits behind a proxy or a tunnel). Answers the base URL that replied.
 */
export async function findServer(config: Pick<Config, 'port' | 'publicUrl'>): Promise<string> {
  const candidates = [...new Set([`http://localhost:${config.port}`, config.publicUrl])];
  for (const url of candidates) if (await isCouponflow(url)) return url;
  throw new DemoError(
    `Couponflow is not answering at ${candidates.join(' or ')}.\n` +
      'Start it first with `npm start` (in another terminal, with the same PORT / PUBLIC_URL / DATA_DIR), then run `npm run demo` again.',
  );
}

async function isCouponflow(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}
