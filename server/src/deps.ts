import type { CouponEngine } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import type { Runtime } from '@couponflow/flow-runtime';
import type { Config } from './config';
import type { ClientRateLimiter } from './http/clientRateLimiter';
import type { FailedLookupLimiter } from './http/failedLookupLimiter';

/** What the HTTP layer is built from; tests make their own. */
export interface ServerDeps {
  db: Database;
  engine: CouponEngine;
  config: Pick<Config, 'publicUrl' | 'rateLimitFailedPerMinute' | 'trustProxy' | 'webchatMessagesPerMinute' | 'maxOpenStreams' | 'maxOpenStreamsPerClient'>;
  limiter: FailedLookupLimiter;
  webchatLimiter: ClientRateLimiter;
  adminKeyHash: string;
  runtime: Runtime;
  /** the built web app; tests point it at a folder of their own */
  editorDistDir?: string;
}

export const redeemUrl = (deps: Pick<ServerDeps, 'config'>, token: string) => `${deps.config.publicUrl}/r/${token}`;
