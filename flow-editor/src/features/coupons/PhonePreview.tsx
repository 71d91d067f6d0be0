import { useEffect, useState } from 'react';
import type { RedeemPage } from './couponDraft';

export type PreviewState = 'ready' | 'redeemed' | 'verified' | 'expired' | 'not_started' | 'revoked' | 'unavailable' | 'limit_reached';

/**
 * The redeem page as the server renders it (POST /redeem-page/preview), in a phone frame.
 * Refreshed a moment after the last keystroke; the page's own script is left out (a preview
 * needs no buttons to work, and this app's CSP runs no inline script).
 */
export function PhonePreview({ redeemPage, title, state }: { redeemPage: RedeemPage; title: string; state: PreviewState }) {
  const [html, setHtml] = useState('');
  const [stale, setStale] = useState(false);
  const body = JSON.stringify({ redeemPage: { ...redeemPage, title: title.trim() || 'Your coupon' }, state });

  useEffect(() => {
    const abort = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const response = await fetch('/api/v1/redeem-page/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: abort.signal, credentials: 'same-origin' });
        if (!response.ok) return setStale(true);
        setHtml((await response.text()).replace(/<script[\s\S]*?<\/script>/gi, ''));
        setStale(false);
      } catch {
        // aborted by the next keystroke
      }
    }, 200);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [body]);

  return (
    <div className="phone" data-testid="phone-preview">
      <iframe title="Redeem page preview" srcDoc={html} sandbox="allow-same-origin" style={{ opacity: stale ? 0.5 : 1 }} />
      <div className="phone-notch" />
    </div>
  );
}
