// The Sessions view's state: the page of sessions and the open session's turns. One small zustand store, tested through getState().
import { create } from 'zustand';
import type { SessionDetail, SessionSummary } from '../../../shared/llm';
import { getApi } from '../api';
import { errorMessage } from '../format';

interface SessionsState {
  sessions: SessionSummary[];
  total: number;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  openSessionId: string | null;
  detail: SessionDetail | null;
  detailStatus: 'idle' | 'loading' | 'ready' | 'missing' | 'error';
  refresh(): Promise<void>;
  openSession(sessionId: string | null): Promise<void>;
}

/** Sessions asked for per page; the list says when there are more. */
export const SESSIONS_PAGE = 200;

export const useSessions = create<SessionsState>()((set, get) => ({
  sessions: [],
  total: 0,
  status: 'idle',
  error: null,
  openSessionId: null,
  detail: null,
  detailStatus: 'idle',
  refresh: async () => {
    set({ status: get().status === 'ready' ? 'ready' : 'loading' });
    try {
      const page = await getApi().listSessions({ limit: SESSIONS_PAGE });
      set({ sessions: page.sessions, total: page.total, status: 'ready', error: null });
      const open = get().openSessionId;
      if (open) void get().openSession(open);
    } catch (error) {
      set({ status: 'error', error: errorMessage(error) });
    }
  },
  openSession: async (sessionId) => {
    set({ openSessionId: sessionId, detailStatus: sessionId ? 'loading' : 'idle', ...(sessionId === get().detail?.sessionId ? {} : { detail: null }) });
    if (!sessionId) return;
    try {
      const detail = await getApi().getSession(sessionId);
      if (get().openSessionId !== sessionId) return; // another session was opened meanwhile
      set({ detail, detailStatus: detail ? 'ready' : 'missing' });
    } catch (error) {
      if (get().openSessionId === sessionId) set({ detailStatus: 'error', error: errorMessage(error) });
    }
  },
}));
