import { loadConfig } from '../config';
import { createDemo } from './createDemo';
import { demoClient } from './demoClient';
import { DemoError } from './demoError';
import { demoInstructions } from './demoInstructions';
import { earlierDemoRuns, rememberDemoRun } from './demoRuns';
import { findServer } from './findServer';
import { readAdminKey } from './readAdminKey';

/**
 * `npm run demo` (SPEC §6): seeds a demo organisation into the running `npm start` — same
 * configuration, same data — through its public API, and prints how to try it.
 */
async function main() {
  const config = loadConfig();
  const serverUrl = await findServer(config);
  const adminKey = readAdminKey(config);
  const earlier = earlierDemoRuns(config);
  const demo = await createDemo(demoClient(serverUrl), adminKey);
  rememberDemoRun(config, earlier, { orgId: demo.orgId, createdAt: new Date().toISOString() });
  console.log(demoInstructions(demo, { publicUrl: config.publicUrl, earlier }));
}

main().catch((error: Error) => {
  console.error(error instanceof DemoError ? error.message : `The demo could not be seeded: ${error.stack ?? error.message}`);
  process.exit(1);
});
