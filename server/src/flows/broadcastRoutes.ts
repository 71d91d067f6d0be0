import { parse } from 'csv-parse';
import { z } from 'zod';
import { broadcastProgress } from '@couponflow/flow-runtime';
import type { Request } from 'express';
import type { ServerDeps } from '../deps';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';

const maxRecipients = 1_000_000;
const maxCsvBytes = 50 * 1024 * 1024;
const customerId = z.string().trim().min(1).max(200);

export function broadcastRoutes({ db, runtime }: ServerDeps) {
  return [
    defineRoute({
      method: 'post',
      path: '/flows/:id/broadcasts',
      operationId: 'startBroadcast',
      summary: 'Start the flow’s published version for a list of contacts (JSON, or CSV with ?inboxId=)',
      tag: 'Broadcasts',
      access: ['owner', 'admin'],
      params: z.object({ id: z.string() }),
      query: z.object({ inboxId: z.string().optional() }),
      body: z.object({ inboxId: z.string().min(1), customerIds: z.array(customerId).min(1).max(maxRecipients) }),
      csvBody: { description: 'One customer id per line, optional header row; the inbox comes from ?inboxId=' },
      responses: {
        202: { description: 'Queued', schema: z.object({ id: z.string(), total: z.number().int() }) },
        404: { description: 'not_found (flow or inbox)' },
        409: { description: 'flow_not_published' },
      },
      handle: async ({ params, query, body, principal, req }) => {
        const orgId = orgOf(principal).orgId;
        const inboxId = body?.inboxId ?? query.inboxId;
        if (!inboxId) throw new ApiError(422, 'validation_failed', 'Name the inbox', [{ path: 'inboxId', message: 'required' }]);
        const customerIds = body?.customerIds ?? (await customerIdsFromCsv(req));
        const started = await runtime.startBroadcast({ orgId, flowId: params.id, inboxId, customerIds });
        if (started.ok) return { status: 202, body: { id: started.id, total: started.total } };
        if (started.reason === 'flow_not_published') throw new ApiError(409, 'flow_not_published', 'Publish the flow first');
        throw new ApiError(404, 'not_found', started.reason === 'flow_not_found' ? 'No such flow' : 'No such inbox');
      },
    }),
    defineRoute({
      method: 'get',
      path: '/broadcasts/:id',
      operationId: 'getBroadcast',
      summary: 'Progress of a broadcast',
      tag: 'Broadcasts',
      access: ['owner', 'admin'],
      params: z.object({ id: z.string() }),
      responses: {
        200: {
          description: 'started: runs begun; completed: runs that took their first steps; failed: contacts whose start failed',
          schema: z.object({ id: z.string(), total: z.number().int(), started: z.number().int(), completed: z.number().int(), failed: z.number().int() }),
        },
        404: { description: 'not_found' },
      },
      handle: async ({ params, principal }) => {
        const progress = await broadcastProgress(db, orgOf(principal).orgId, params.id);
        if (!progress) throw new ApiError(404, 'not_found', 'No such broadcast');
        return { status: 200, body: progress };
      },
    }),
  ];
}

/** Streams the CSV; a line that is not a plausible customer id is refused with its line number. */
async function customerIdsFromCsv(req: Request): Promise<string[]> {
  if (Number(req.get('content-length') ?? 0) > maxCsvBytes) throw new ApiError(413, 'payload_too_large', 'The CSV is larger than 50 MB');
  const ids: string[] = [];
  let bytes = 0;
  const parser = parse({ bom: true, trim: true, skip_empty_lines: true, relax_column_count: true, info: true });
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > maxCsvBytes) parser.destroy(new ApiError(413, 'payload_too_large', 'The CSV is larger than 50 MB'));
  });
  req.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const value = record[0] ?? '';
      if (ids.length === 0 && info.lines === 1 && /^(customer[ _-]?id|contact[ _-]?id|id)s?$/i.test(value)) continue;
      const checked = customerId.safeParse(value);
      if (!checked.success) throw new ApiError(422, 'validation_failed', 'The CSV has an invalid customer id', [{ path: `line ${info.lines}`, message: checked.error.issues[0]!.message }]);
      ids.push(checked.data);
      if (ids.length > maxRecipients) throw new ApiError(413, 'payload_too_large', `At most ${maxRecipients} recipients per broadcast`);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'malformed_csv', `The CSV could not be read: ${(error as Error).message}`);
  }
  if (ids.length === 0) throw new ApiError(422, 'validation_failed', 'The CSV lists no customers', [{ path: 'body', message: 'empty' }]);
  return ids;
}
