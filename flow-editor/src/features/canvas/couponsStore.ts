import { create } from 'zustand';
import { api } from '../../api/client';
import type { Coupon } from '../coupons/couponState';

/** The organisation's coupons, for the Distribute Coupon node and its picker. */
export const useCouponList = create<{ coupons: Coupon[] | null; load(): Promise<void> }>((set) => ({
  coupons: null,
  async load() {
    const all: Coupon[] = [];
    let cursor: string | null = null;
    do {
      const { data }: { data?: { items: Coupon[]; nextCursor: string | null } } = await api.GET('/coupons', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } });
      if (!data) break;
      all.push(...data.items);
      cursor = data.nextCursor;
    } while (cursor && all.length < 2000);
    set({ coupons: all });
  },
}));
