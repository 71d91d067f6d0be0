import type { Job } from 'bullmq';
import type { TestServer } from '../../server/src/testing/testServer';

type State = 'delayed' | 'waiting' | 'active' | 'completed' | 'failed';

/** Polls every contact-event shard until a job in one of `states` matches (or gives up after a while). */
export async function contactJob(server: TestServer, states: State[], matches: (data: Record<string, unknown>) => boolean): Promise<Job> {
  for (let i = 0; i < 600; i++) {
    for (const queue of server.runtime.queues.contactShards) {
      const job = (await queue.getJobs(states)).find((j) => j && matches(j.data as unknown as Record<string, unknown>));
      if (job) return job;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${states.join('/')} contact job matched`);
}

/** What the job's worker answered (`applied`, `ignored`, …), once it has run. */
export async function jobOutcome(server: TestServer, job: Job): Promise<unknown> {
  const queue = server.runtime.queues.contactShards.find((q) => q.name === job.queueName)!;
  for (let i = 0; i < 600; i++) {
    if (await queue.getJobState(job.id!) === 'completed') return (await queue.getJob(job.id!))!.returnvalue;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${job.id} never completed`);
}
