import { webchatSender } from '../../flow-runtime/src/webchat/webchatSender';
import type { TestServer } from '../../server/src/testing/testServer';

/** The real web chat delivery of a test server, for doubles that pass some messages through. */
export const webchatSenderFor = (server: TestServer) => webchatSender(server.db, server.runtime.queues.connection);
