import { create } from 'zustand';

/** A tiny history-API router: the app has a handful of screens and no nested layouts. */
interface RouteState {
  path: string;
  search: URLSearchParams;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const read = () => ({ path: window.location.pathname, search: new URLSearchParams(window.location.search) });

export const useRoute = create<RouteState>((set) => ({
  ...read(),
  navigate(to, { replace = false } = {}) {
    if (to === window.location.pathname + window.location.search) return;
    if (replace) window.history.replaceState(null, '', to);
    else window.history.pushState(null, '', to);
    set(read());
    window.scrollTo(0, 0);
  },
}));

window.addEventListener('popstate', () => useRoute.setState(read()));

/** Matches `/coupons/:id/records` style patterns; answers the params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return null;
  }
  return params;
}

export const navigate = (to: string, options?: { replace?: boolean }) => useRoute.getState().navigate(to, options);
