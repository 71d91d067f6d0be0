import { Router, type Request, type Response } from 'express';
import { timingReasons, type RedeemPageData, type Result } from '@couponflow/coupons';
import type { ServerDeps } from '../deps';
import { ApiError, refusalError } from '../http/apiError';
import { isCrawler } from '../http/crawlers';
import { redeemPageCsp, renderNotFoundPage, renderRedeemPage } from '../redeemPage';

/** The customer's redeem page (SPEC §2.5): `GET /r/:token` and `POST /r/:token/redeem`. */
export function redeemRoutes(deps: ServerDeps): Router {
  const router = Router();
  const { engine, limiter } = deps;

  router.get('/r/:token', async (req, res) => {
    const token = req.params.token;
    // HEAD requests and link previews see the page without counting as the customer opening it.
    const realView = req.method === 'GET' && !isCrawler(req.get('user-agent'));
    let page: Result<RedeemPageData> = realView ? engine.open(token) : engine.peek(token);
    if (!page.ok) return notFound(req, res);
    if (realView && page.value.state === 'ready' && page.value.coupon.redeemPage.redeemButton.mode === 'on_open') {
      await redeemAndTellRun(token);
      page = engine.peek(token);
      if (!page.ok) return notFound(req, res);
    }
    sendHtml(res, 200, renderRedeemPage(page.value, { redeemUrl: `/r/${encodeURIComponent(token)}/redeem` }));
  });

  router.post('/r/:token/redeem', async (req, res) => {
    const token = req.params.token;
    const result = await redeemAndTellRun(token);
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    if (!result.ok && result.reason === 'not_found') {
      await limiter.failed(req.ip ?? 'unknown');
      if (wantsJson) throw refusalError(result);
      return sendHtml(res, 404, renderNotFoundPage());
    }
    if (!wantsJson) return res.redirect(303, `/r/${encodeURIComponent(token)}`);
    if (!result.ok) throw refusalError(result);
    res.status(200).json({ status: 'redeemed', code: result.value.code, expiresAt: result.value.expiresAt });
  });

  /**
   * SPEC §3.3: the run waiting at this offer resumes by `redeemed` or by the refusal's port. A timing
   * refusal (window, delay, gap) is "not yet": the offer stands, so the run keeps waiting (issue 10).
   */
  async function redeemAndTellRun(token: string) {
    const result = engine.redeem(token);
    if (result.ok) await deps.runtime.redemptionAttempted(result.value.record, 'redeemed', result.value.code);
    else if (result.reason !== 'not_found' && !(timingReasons as readonly string[]).includes(result.reason)) {
      const page = engine.peek(token);
      if (page.ok) await deps.runtime.redemptionAttempted(page.value.record, result.reason);
    }
    return result;
  }

  async function notFound(req: Request, res: Response) {
    try {
      await limiter.failed(req.ip ?? 'unknown');
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      res.set(error.headers);
      return sendHtml(res, 429, renderNotFoundPage());
    }
    sendHtml(res, 404, renderNotFoundPage());
  }

  return router;
}

function sendHtml(res: Response, status: number, html: string): void {
  // A redeem page is personal and changes state: never cached, never indexed.
  res
    .status(status)
    .set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Content-Security-Policy': redeemPageCsp() })
    .type('html')
    .send(html);
}
