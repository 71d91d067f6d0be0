import { create } from 'zustand';
import { api, must, problemOf, whenSignedOut, type Schemas } from '../../api/client';

export type Session = Schemas['Session'];
export type Role = Session['role'];

interface SessionState {
  status: 'loading' | 'signed_out' | 'signed_in';
  session: Session | null;
  load(): Promise<void>;
  signIn(apiKey: string): Promise<string | null>;
  signOut(): Promise<void>;
}

export const useSession = create<SessionState>((set, get) => ({
  status: 'loading',
  session: null,
  async load() {
    const { data } = await api.GET('/session');
    set(data ? { status: 'signed_in', session: data } : { status: 'signed_out', session: null });
  },
  /** Answers an error message, or null when signed in. */
  async signIn(apiKey) {
    const { error, response } = await api.POST('/session', { body: { apiKey } });
    if (!response.ok) return response.status === 401 ? 'That key is not valid. Check it and try again.' : problemOf(error).message;
    await get().load();
    return null;
  },
  async signOut() {
    await must(api.DELETE('/session'));
    set({ status: 'signed_out', session: null });
  },
}));

whenSignedOut(() => useSession.setState({ status: 'signed_out', session: null }));

/** What a role may do, in one place (SPEC §5 roles). */
export function can(role: Role | undefined) {
  const org = role === 'owner' || role === 'admin';
  return {
    editFlows: org || role === 'designer',
    publish: org,
    readCoupons: org || role === 'designer',
    editCoupons: org,
    manageInboxes: org,
    manageKeys: org,
    verify: org || role === 'staff',
    organisations: role === 'instance_admin',
  };
}
