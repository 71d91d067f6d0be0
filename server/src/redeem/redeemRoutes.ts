import { Router, type Request, type Response } from 'express';
import { timingReasons, type RedeemPageData, type Result } from '@couponflow/coupons';
import { writeTransaction } from '@couponflow/db';
import { engineIn } from '../coupons/engineIn';
import type { ServerDeps } from '../deps';
import { ApiError, refusalError } from '../http/apiError';
import { isCrawler } from '../http/crawlers';
import { lookupClients } from '../http/failedLookupLimiter';
import { segmentAfter, type LeanRoute } from '../http/leanRoutes';
import { redeemPageChunks, redeemPageCsp, renderNotFoundPage, type PageChunks } from '../redeemPage';

/** The customer's redeem page (SPEC §2.5): `GET /r/:token` (a lean route) and `POST /r/:token/redeem`. */
export function redeemRoutes(deps: ServerDeps): { router: Router; page: LeanRoute } {
  const router = Router();
  const { engine, limiter } = deps;

  // GET is answered ahead of the middleware stack (leanRoutes): it is the busiest route a server has.
  const page: LeanRoute = {
    route: '/r/:token',
    match: segmentAfter('/r/'),
    async handle(req, res, token) {
      if (!(await admitted(req, res))) return;
      if (!plausibleToken(token)) return notFound(req, res);
      // HEAD requests and link previews see the page without counting as the customer opening it.
      const realView = req.method === 'GET' && !isCrawler(req.get('user-agent'));
      let shown: Result<RedeemPageData> = realView ? await engine.open(token) : await engine.peek(token);
      if (!shown.ok) return notFound(req, res);
      if (realView && shown.value.state === 'ready' && shown.value.coupon.redeemPage.redeemButton.mode === 'on_open') {
        await redeemAndTellRun(token);
        shown = await engine.peek(token);
        if (!shown.ok) return notFound(req, res);
      }
      sendHtml(res, 200, redeemPageChunks(shown.value, { redeemUrl: `/r/${encodeURIComponent(token)}/redeem` }));
    },
  };

  router.post('/r/:token/redeem', async (req, res) => {
    const token = req.params.token;
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    if (wantsJson) await limiter.guard(lookupClients(req));
    else if (!(await admitted(req, res))) return;
    const result = plausibleToken(token) ? await redeemAndTellRun(token) : ({ ok: false, reason: 'not_found', message: 'No such redemption' } as const);
    if (!result.ok && result.reason === 'not_found') {
      if (wantsJson) {
        await limiter.failed(lookupClients(req));
        throw refusalError(result);
      }
      return notFound(req, res);
    }
    if (!wantsJson) return res.redirect(303, `/r/${encodeURIComponent(token)}`);
    if (!result.ok) throw refusalError(result);
    res.status(200).json({ status: 'redeemed', code: result.value.code, expiresAt: result.value.expiresAt });
  });

  /**
   * SPEC §3.3: the run waiting at this offer resumes by `redeemed` or by the refusal's port. The
   * outcome and the event for the run commit together (outbox), so the answer never waits on Redis
   * and the run resumes whenever Redis has the event. A timing refusal (window, delay, gap) is
   * "not yet": the offer stands, so the run keeps waiting.
   */
  async function redeemAndTellRun(token: string) {
    const result = await writeTransaction(deps.db, async (tx) => {
      const engineInTx = engineIn(engine, tx);
      const redeemed = await engineInTx.redeem(token);
      if (redeemed.ok) await deps.runtime.writeRedemptionOutcome(redeemed.value.record, 'redeemed', redeemed.value.code, tx);
      else if (redeemed.reason !== 'not_found' && !(timingReasons as readonly string[]).includes(redeemed.reason)) {
        const page = await engineInTx.peek(token);
        if (page.ok) await deps.runtime.writeRedemptionOutcome(page.value.record, redeemed.reason, undefined, tx);
      }
      return redeemed;
    });
    if (result.ok || result.reason !== 'not_found') void deps.runtime.flushOutbox();
    return result;
  }

  /** A client past its failed look-ups sees the not-found page with 429 before any look-up. */
  async function admitted(req: Request, res: Response): Promise<boolean> {
    try {
      await limiter.guard(lookupClients(req));
      return true;
    } catch (error) {
      sendLimited(res, error);
      return false;
    }
  }

  async function notFound(req: Request, res: Response) {
    try {
      await limiter.failed(lookupClients(req));
    } catch (error) {
      return sendLimited(res, error);
    }
    sendHtml(res, 404, renderNotFoundPage());
  }

  return { router, page };
}

/** A NUL character is in no token (and PostgreSQL would refuse to look it up): not found, on every backend. */
const plausibleToken = (token: string) => !token.includes('\u0000');

function sendLimited(res: Response, error: unknown): void {
  if (!(error instanceof ApiError)) throw error;
  res.set(error.headers);
  sendHtml(res, 429, renderNotFoundPage());
}

/** A redeem page is personal and changes state: never cached, never indexed. */
const pageHeaders = { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Content-Security-Policy': redeemPageCsp(), 'Content-Type': 'text/html; charset=utf-8' };

/**
 * Written straight to the socket: express's `send` would hash every page for an ETag that a
 * no-store page never uses; the chunks every page shares go out already encoded.
 */
function sendHtml(res: Response, status: number, html: string | PageChunks): void {
  const chunks = typeof html === 'string' ? [html] : html;
  const length = chunks.reduce((sum, chunk) => sum + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length), 0);
  res.writeHead(status, { ...pageHeaders, 'Content-Length': length });
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
  res.uncork();
}
