import { create } from 'zustand';
import { api, must } from '../../api/client';

export type NodeType = Awaited<ReturnType<typeof fetchTypes>>[number];
async function fetchTypes() {
  return (await must(api.GET('/node-types'))).items;
}

/** The palette: `GET /node-types` (the coupon block only when the add-on is on). */
export const useNodeTypes = create<{ types: NodeType[]; load(): Promise<void> }>((set, get) => ({
  types: [],
  async load() {
    if (get().types.length) return;
    set({ types: await fetchTypes() });
  },
}));
