import type { Redis } from 'ioredis';

export interface RuntimeLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export const silentLog: RuntimeLog = { info: () => {}, warn: () => {} };

/**
 * Whether Redis answers, from the events of every connection we hold. Errors are logged once per
 * change of state (down, back up), not once per reconnection attempt of every connection.
 */
export function redisHealth(log: RuntimeLog) {
  let up = true;
  const markDown = (error?: Error) => {
    if (!up) return;
    up = false;
    log.warn({ err: error?.message }, 'redis is unreachable: public writes answer 503, accepted work waits in the outbox');
  };
  const markUp = () => {
    if (up) return;
    up = true;
    log.info({}, 'redis is reachable again');
  };
  return {
    isUp: () => up,
    /** Every error event of a connection, a queue or a worker lands here instead of on stderr. */
    onError: (error: Error) => {
      if (isConnectionError(error)) markDown(error);
    },
    watch(connection: Redis): Redis {
      connection.on('error', (error: Error) => markDown(error));
      connection.on('close', () => markDown());
      connection.on('ready', markUp);
      return connection;
    },
  };
}

export type RedisHealth = ReturnType<typeof redisHealth>;

function isConnectionError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    /Connection is closed|Stream isn't writeable|Command timed out|ECONNREFUSED/.test(error.message)
  );
}

/** Raised when work cannot be handed to Redis right now; the HTTP layer answers 503 + Retry-After. */
export class QueueUnavailableError extends Error {
  constructor(cause: Error) {
    super(`The queue is unavailable: ${cause.message}`, { cause });
  }
}
