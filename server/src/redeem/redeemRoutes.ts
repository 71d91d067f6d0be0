import { Router, type Response } from 'express';
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

  // GET is answered before express is entered (leanRoutes): it is the busiest route a server has.
  const page: LeanRoute = {
    route: '/r/:token',
    match: segmentAfter('/r/'),
    async handle(exchange, token) {
      const clients = lookupClients({ ip: exchange.ip });
      const send: SendPage = (status, html, extra) => exchange.send(status, pageHeaders, html, extra);
      if (!(await admitted(clients, send))) return;
      if (!plausibleToken(token)) return notFound(clients, send);
      // HEAD requests and link previews see the page without counting as the customer opening it.
      const realView = exchange.req.method === 'GET' && !isCrawler(exchange.req.headers['user-agent']);
      let shown: Result<RedeemPageData> = realView ? await engine.open(token) : await engine.peek(token);
      if (!shown.ok) return notFound(clients, send);
      if (realView && shown.value.state === 'ready' && shown.value.coupon.redeemPage.redeemButton.mode === 'on_open') {
        await redeemAndTellRun(token);
        shown = await engine.peek(token);
        if (!shown.ok) return notFound(clients, send);
      }
      send(200, redeemPageChunks(shown.value, { redeemUrl: `/r/${encodeURIComponent(token)}/redeem` }));
    },
  };

  router.post('/r/:token/redeem', async (req, res) => {
    const token = req.params.token;
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    const clients = lookupClients(req);
    const send: SendPage = (status, html, extra) => sendHtml(res, status, html, extra);
    if (wantsJson) await limiter.guard(clients);
    else if (!(await admitted(clients, send))) return;
    const result = plausibleToken(token) ? await redeemAndTellRun(token) : ({ ok: false, reason: 'not_found', message: 'No such redemption' } as const);
    if (!result.ok && result.reason === 'not_found') {
      if (wantsJson) {
        await limiter.failed(clients);
        throw refusalError(result);
      }
      return notFound(clients, send);
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
  async function admitted(clients: string[], send: SendPage): Promise<boolean> {
    try {
      await limiter.guard(clients);
      return true;
    } catch (error) {
      sendLimited(send, error);
      return false;
    }
  }

  async function notFound(clients: string[], send: SendPage) {
    try {
      await limiter.failed(clients);
    } catch (error) {
      return sendLimited(send, error);
    }
    send(404, notFoundPage);
  }

  return { router, page };
}

/** A NUL character is in no token (and PostgreSQL would refuse to look it up): not found, on every backend. */
const plausibleToken = (token: string) => !token.includes('\u0000');

/** Answers with a page: the lean route's exchange, or express's response for the form post. */
type SendPage = (status: number, html: string | Buffer | PageChunks, extra?: readonly string[]) => void;

function sendLimited(send: SendPage, error: unknown): void {
  if (!(error instanceof ApiError)) throw error;
  send(429, notFoundPage, Object.entries(error.headers).flat());
}

/** The one page every unknown or guessed token gets, the same bytes every time. */
const notFoundPage = Buffer.from(renderNotFoundPage());

/** A redeem page is personal and changes state: never cached, never indexed. */
const pageHeaders = Object.freeze({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow', 'Content-Security-Policy': redeemPageCsp(), 'Content-Type': 'text/html; charset=utf-8' });

/**
 * The form post's answer, written straight to the socket: express's `send` would hash every page
 * for an ETag that a no-store page never uses.
 */
function sendHtml(res: Response, status: number, html: string | Buffer | PageChunks, extra: readonly string[] = []): void {
  const chunks = typeof html === 'string' || Buffer.isBuffer(html) ? [html] : html;
  const length = chunks.reduce((sum, chunk) => sum + (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length), 0);
  for (let i = 0; i < extra.length; i += 2) res.setHeader(extra[i]!, extra[i + 1]!);
  res.writeHead(status, { ...pageHeaders, 'Content-Length': length });
  res.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
  res.uncork();
}
