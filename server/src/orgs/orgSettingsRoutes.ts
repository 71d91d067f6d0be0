import { z } from 'zod';
import { isValidTimeZone } from '@couponflow/coupons';
import type { Database } from '@couponflow/db';
import { ApiError } from '../http/apiError';
import { defineRoute, orgOf } from '../http/defineRoute';
import { orgSettings, updateOrgSettings } from './organisations';

const timeZone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine(isValidTimeZone, 'must be an IANA time zone name like Europe/Berlin or Asia/Tokyo')
  .meta({ description: 'IANA time zone; redemption windows and the daily statistics are read in it', example: 'Europe/Berlin' });
const settingsSchema = z.object({ id: z.string(), name: z.string(), timeZone: z.string() }).meta({ id: 'OrganisationSettings' });

/** The caller's own organisation: read by any role, changed by its owner or admins (`/org`, singular). */
export function orgSettingsRoutes(db: Database) {
  const common = { tag: 'Organisations', path: '/org' } as const;
  return [
    defineRoute({
      ...common,
      method: 'get',
      operationId: 'getOrgSettings',
      summary: 'The caller’s organisation settings (name, time zone)',
      access: ['owner', 'admin', 'designer', 'staff'],
      responses: { 200: { description: 'The settings', schema: settingsSchema } },
      handle: async ({ principal }) => ({ status: 200, body: await orgSettings(db, orgOf(principal).orgId) }),
    }),
    defineRoute({
      ...common,
      method: 'patch',
      operationId: 'updateOrgSettings',
      summary: 'Change the caller’s organisation name or time zone',
      access: ['owner', 'admin'],
      body: z.object({ name: z.string().trim().min(1).max(100).optional(), timeZone: timeZone.optional() }).strict(),
      responses: { 200: { description: 'The settings', schema: settingsSchema }, 422: { description: 'validation_failed (e.g. an unknown time zone)' } },
      handle: async ({ principal, body }) => {
        const updated = await updateOrgSettings(db, orgOf(principal).orgId, body);
        if (!updated) throw new ApiError(404, 'not_found', 'No such organisation');
        return { status: 200, body: updated };
      },
    }),
  ];
}
