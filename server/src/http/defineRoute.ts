import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { ApiRole } from '../auth/apiKeys';
import type { Principal } from '../auth/authenticate';

/** Who may call a route: nobody needs a key, any valid key, only the instance admin, or these organisation roles. */
export type Access = 'public' | 'signed_in' | 'instance_admin' | readonly ApiRole[];

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** default application/json */
  contentType?: string;
}

export interface Reply {
  status: number;
  body: unknown;
}

export type OrgPrincipal = Extract<Principal, { kind: 'org' }>;

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal | undefined;
  req: Request;
  res: Response;
}

/**
 * One declaration per endpoint: its schemas validate the request and describe it in the OpenAPI
 * document, so the two cannot drift apart.
 */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** express-style path below /api/v1, e.g. `/coupons/:id` */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  access: Access;
  /** coupon endpoints answer 403 feature_disabled when the organisation's add-on is off */
  couponsAddOn?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  /** the body may also be `text/csv`, streamed to the handler untouched (body is then undefined) */
  csvBody?: { description: string };
  responses: Record<number, ResponseSpec>;
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<Reply | void> | Reply | void;
}

// Routes of different shapes live in one list; the handler's own types were checked at definition.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

export function defineRoute<P extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, B extends z.ZodType = z.ZodUnknown>(
  route: RouteSpec<P, Q, B>,
): AnyRoute {
  return route;
}

/** The organisation principal of a route whose access is a list of roles. */
export function orgOf(principal: Principal | undefined): OrgPrincipal {
  if (principal?.kind !== 'org') throw new Error('route declared org roles but has no org principal');
  return principal;
}
