/**
 * Prints the OpenAPI document without starting anything, for the web app's generated API types
 * (`npm run api-types -w @couponflow/flow-editor`). Declaring routes touches none of their deps.
 */
import { apiRoutes } from '../apiRoutes';
import { apiVersion } from '../app';
import type { ServerDeps } from '../deps';
import { openApiDocument } from './openApiDocument';

const document = openApiDocument(apiRoutes({} as ServerDeps), { serverUrl: 'http://localhost:3000', version: apiVersion });
process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
