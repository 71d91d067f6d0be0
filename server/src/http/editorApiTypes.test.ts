import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../apiRoutes';
import type { ServerDeps } from '../deps';

describe('the web app’s API types', () => {
  it('cover every route of the OpenAPI document (regenerate with `npm run api-types -w @couponflow/flow-editor`)', () => {
    const types = readFileSync(new URL('../../../flow-editor/src/api/schema.d.ts', import.meta.url), 'utf8');
    for (const route of apiRoutes({} as ServerDeps)) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      expect(types, `${route.method.toUpperCase()} ${path}`).toContain(`operations["${route.operationId}"]`);
      expect(types).toContain(`"${path}": {`);
    }
  });
});
