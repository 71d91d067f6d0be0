import type { CouponEngine } from '@couponflow/coupons';
import type { CredentialCipher, Database } from '@couponflow/db';
import type { Runtime } from '@couponflow/flow-runtime';
import type { Config } from './config';
import type { FailedLookupLimiter } from './http/failedLookupLimiter';

/** What the HTTP layer is built from; tests make their own. */
export interface ServerDeps {
  db: Database;
  engine: CouponEngine;
  config: Pick<Config, 'publicUrl' | 'rateLimitFailedPerMinute'>;
  limiter: FailedLookupLimiter;
  adminKeyHash: string;
  runtime: Runtime;
  /** seals and opens channel credentials (the same key the runtime opens them with) */
  cipher: CredentialCipher;
}

export const redeemUrl = (deps: Pick<ServerDeps, 'config'>, token: string) => `${deps.config.publicUrl}/r/${token}`;
