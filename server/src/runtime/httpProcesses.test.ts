import { describe, expect, it } from 'vitest';
import { childWorkersVariable, workerKinds } from './httpProcesses';

describe('which flow runtime workers a process runs', () => {
  it('one process: ROLE=all and ROLE=worker run every worker, ROLE=server none', () => {
    expect(workerKinds('all', false, { child: false })).toEqual(['contact-events', 'outbound-webchat', 'broadcasts', 'outbound']);
    expect(workerKinds('worker', false, { child: false })).toEqual(['contact-events', 'outbound-webchat', 'broadcasts', 'outbound']);
    expect(workerKinds('server', false, { child: false })).toEqual([]);
  });

  it('ROLE=all with HTTP processes: the first keeps the workers that write the database, the HTTP processes deliver to the platforms', () => {
    expect(workerKinds('all', true, { child: false })).toEqual(['contact-events', 'outbound-webchat', 'broadcasts']);
    expect(workerKinds('server', false, { child: true, env: { [childWorkersVariable]: 'outbound' } })).toEqual(['outbound']);
  });

  it('ROLE=server with HTTP processes: nobody runs a worker', () => {
    expect(workerKinds('server', true, { child: false })).toEqual([]);
    expect(workerKinds('server', false, { child: true, env: { [childWorkersVariable]: '' } })).toEqual([]);
    expect(workerKinds('server', false, { child: true, env: {} })).toEqual([]);
  });
});
