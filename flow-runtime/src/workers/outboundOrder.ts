import type { Redis } from 'ioredis';
import type { Memo } from './sentOffers';

/**
 * One contact's outbound messages go out in order, one at a time: each contact has a sorted set of
 * its queued outbox ids, and only the lowest may be sent. Different contacts proceed in parallel.
 *
 * Beside the sets, a count per inbox of the messages registered and not yet done (the sum of its
 * contacts' sets, kept in the same scripts): how far the inbox's delivery is behind what its runs
 * queued, which a broadcast reads to keep pace with its own delivery.
 *
 * And a claim per message (`outbound-msg:<outbox id>`), so that many messages can travel in one
 * job and each is still sent by one job only, once: `p` registered and not yet taken; the id of
 * the batch job that took it; `h<outbox id>` handed to a job of its own (a retry, or a message
 * whose turn had not come); `d` done (kept a day, so a repeated hand-over registers it no more).
 * A job run again after a crash takes back its own messages and skips those already done.
 *
 * Every call is one script over many messages: one round trip per batch, not several per message.
 */
const register = `
local n = (#KEYS - 1) / 3
for i = 1, n do
  local id, inbox = ARGV[2 * i - 1], ARGV[2 * i]
  if redis.call('exists', KEYS[3 * i + 1]) == 0 and redis.call('set', KEYS[3 * i - 1], 'p', 'NX') then
    if redis.call('zadd', KEYS[3 * i], id, id) == 1 then redis.call('hincrby', KEYS[1], inbox, 1) end
  end
end
return 0`;

const claim = `
local owner, limit = ARGV[1], tonumber(ARGV[2])
local n = (#KEYS - 1) / 2
local codes, ready = {}, 0
for i = 1, n do
  local id = ARGV[3 + i]
  local state = redis.call('get', KEYS[2 * i])
  if state == 'd' then codes[i] = 'done'
  elseif state == false or state == 'p' or state == owner then
    if state ~= owner then redis.call('set', KEYS[2 * i], owner) end
    local first = redis.call('zrange', KEYS[2 * i + 1], 0, 0)[1]
    if first == nil or tonumber(first) >= tonumber(id) then
      codes[i] = 'ready'
      ready = ready + 1
    else codes[i] = 'wait' end
  elseif state == 'h' .. id then codes[i] = 'handed'
  else codes[i] = 'other' end
end
local retry = 0
if ready > 0 and limit >= 0 then
  local used = tonumber(redis.call('get', KEYS[1]) or '0')
  local allowed = math.max(0, math.min(ready, limit - used))
  if allowed > 0 then
    redis.call('incrby', KEYS[1], allowed)
    if redis.call('pttl', KEYS[1]) < 0 then redis.call('pexpire', KEYS[1], ARGV[3]) end
  end
  if allowed < ready then
    retry = redis.call('pttl', KEYS[1])
    if retry <= 0 then retry = tonumber(ARGV[3]) end
    local seen = 0
    for i = 1, n do
      if codes[i] == 'ready' then
        seen = seen + 1
        if seen > allowed then codes[i] = 'limited' end
      end
    end
  end
end
return { codes, retry }`;

const settle = `
local n = tonumber(ARGV[2])
for i = 1, n do
  local id, inbox, to = ARGV[3 * i], ARGV[3 * i + 1], ARGV[3 * i + 2]
  if to == 'd' then
    redis.call('set', KEYS[2 * i], 'd', 'EX', ARGV[1])
    if redis.call('zrem', KEYS[2 * i + 1], id) == 1 and redis.call('hincrby', KEYS[1], inbox, -1) <= 0 then redis.call('hdel', KEYS[1], inbox) end
  else
    redis.call('set', KEYS[2 * i], 'h' .. id)
  end
end
for j = 2 * n + 2, #KEYS do
  local at = 3 * n + 3 + 2 * (j - 2 * n - 2)
  redis.call('set', KEYS[j], ARGV[at], 'EX', ARGV[at + 1])
end
return 0`;

/** How long a done message's claim is kept: far longer than a hand-over can be repeated. */
const doneTtlSeconds = 24 * 3600;

export interface OrderedMessage {
  outboxId: number;
  inboxId: string;
  customerId: string;
}

/** What a claim found for each message, in the order asked. */
export type ClaimCode =
  /** this job's to send now (its turn, within the rate) */
  | 'ready'
  /** this job's, but an earlier message of the contact is not done yet */
  | 'wait'
  /** this job's and its turn, but the inbox's rate is used up for this window */
  | 'limited'
  /** already done (sent, refused for good, or given up) */
  | 'done'
  /** handed to a job of its own */
  | 'handed'
  /** another batch job's */
  | 'other';

export interface Claim {
  codes: ClaimCode[];
  /** when some are `limited`: how long until the inbox's rate window resets */
  retryMs: number;
}

interface ScriptCommands {
  cfOutboundRegister(...args: Array<string | number>): Promise<unknown>;
  cfOutboundClaim(...args: Array<string | number>): Promise<[ClaimCode[], number]>;
  cfOutboundSettle(...args: Array<string | number>): Promise<unknown>;
}

export function outboundOrder(redis: Redis, prefix: string) {
  const key = (inboxId: string, customerId: string) => `${prefix}:outbound-order:${inboxId}:${customerId}`;
  const messageKey = (outboxId: number) => `${prefix}:outbound-msg:${outboxId}`;
  const rateKey = (inboxId: string) => `${prefix}:outbound-rate:${inboxId}`;
  const pendingKey = `${prefix}:outbound-pending`;
  // EVALSHA after the first call: the scripts' text is not sent with every batch. (No pipelines
  // here: each one copies every script defined on the connection, BullMQ's dozens included, and
  // commands written in the same turn share a round trip anyway.)
  for (const [name, lua] of [
    ['cfOutboundRegister', register],
    ['cfOutboundClaim', claim],
    ['cfOutboundSettle', settle],
  ] as const)
    if (!(name in redis)) redis.defineCommand(name, { lua });
  const scripts = redis as unknown as ScriptCommands;

  const settleArgs = (settled: Array<OrderedMessage & { to: 'done' | 'handed' }>, memos: Memo[] = []) => {
    const keys: string[] = [pendingKey];
    const args: Array<string | number> = [doneTtlSeconds, settled.length];
    for (const m of settled) {
      keys.push(messageKey(m.outboxId), key(m.inboxId, m.customerId));
      args.push(m.outboxId, m.inboxId, m.to === 'done' ? 'd' : 'h');
    }
    for (const memo of memos) {
      keys.push(memo.key);
      args.push(memo.value, memo.ttlSeconds);
    }
    return [keys.length, ...keys, ...args];
  };

  return {
    /**
     * Called when the outbox hands rows to BullMQ, before their jobs are added. A row handed over
     * again (its flush did not get to mark it) is registered once only: it may have been sent and
     * left the order already, and a stale entry would hold up every later message of the contact.
     * `legacyJobKey`: a message queued as a job of its own before batches existed is not registered again.
     */
    async register(messages: Array<OrderedMessage & { legacyJobKey: string }>): Promise<void> {
      if (messages.length === 0) return;
      const keys: string[] = [pendingKey];
      const args: Array<string | number> = [];
      for (const m of messages) {
        keys.push(messageKey(m.outboxId), key(m.inboxId, m.customerId), m.legacyJobKey);
        args.push(m.outboxId, m.inboxId);
      }
      await scripts.cfOutboundRegister(keys.length, ...keys, ...args);
    },
    /**
     * Takes the messages for `owner` (a job id) where nobody else has, says which may go now, and
     * takes that many of the inbox's rate points for this one-second window (`perSecond` < 0: none).
     */
    async claim(owner: string, inboxId: string, messages: OrderedMessage[], perSecond: number): Promise<Claim> {
      const keys: string[] = [rateKey(inboxId)];
      const args: Array<string | number> = [owner, perSecond, 1000];
      for (const m of messages) {
        keys.push(messageKey(m.outboxId), key(m.inboxId, m.customerId));
        args.push(m.outboxId);
      }
      const [codes, retryMs] = await scripts.cfOutboundClaim(keys.length, ...keys, ...args);
      return { codes, retryMs: Math.max(1, Number(retryMs)) };
    },
    /**
     * Done with (sent, refused for good, or given up: the contact's next message may go), or handed
     * to a job of its own; `memos` (what was sent, e.g. an offer's platform id) are written in the
     * same script, so a message never counts as done without them.
     */
    async settle(settled: Array<OrderedMessage & { to: 'done' | 'handed' }>, memos: Memo[] = []): Promise<void> {
      if (settled.length || memos.length) await scripts.cfOutboundSettle(...settleArgs(settled, memos));
    },
    /** The message is done with (sent, refused for good, or given up): the next one may go. */
    async done(inboxId: string, customerId: string, outboxId: number) {
      await scripts.cfOutboundSettle(...settleArgs([{ inboxId, customerId, outboxId, to: 'done' }]));
    },
    /** How many of the inbox's messages are registered and not yet done, across every process. */
    async pending(inboxId: string): Promise<number> {
      return Number((await redis.hget(pendingKey, inboxId)) ?? 0);
    },
  };
}

export type OutboundOrder = ReturnType<typeof outboundOrder>;
