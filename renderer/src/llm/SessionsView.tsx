// Sessions: traces grouped by session id (session.id, gen_ai.conversation.id, …). Left, the
// sessions by latest activity with their totals; right, the open session's turns in time order,
// each with its input and output as text and a button that opens the turn's trace.
import { useEffect } from 'react';
import type { SessionSummary, SessionTurn } from '../../../shared/llm';
import { formatCost, formatCount, formatDuration, formatInstant } from '../format';
import { useSelection } from '../state/selection';
import { useSessions } from './sessions-state';
import './transcript.css';

function Cost({ usd, unpriced }: { usd: number | null; unpriced?: number }) {
  if (usd === null) return <span className="muted">no price</span>;
  return (
    <>
      {formatCost(usd)}
      {unpriced !== undefined && unpriced > 0 && <span className="muted"> + {formatCount(unpriced)} unpriced</span>}
    </>
  );
}

function Tokens({ input, output }: { input: number | null; output: number | null }) {
  if (input === null && output === null) return <span className="muted">no tokens</span>;
  return (
    <>
      {formatCount(input ?? 0)} in · {formatCount(output ?? 0)} out
    </>
  );
}

function SessionRow({ session, open }: { session: SessionSummary; open: boolean }) {
  return (
    <li>
      <button
        type="button"
        className={`session-row${open ? ' selected' : ''}`}
        aria-current={open ? 'true' : undefined}
        onClick={() => void useSessions.getState().openSession(session.sessionId)}
      >
        <span className="session-id mono">{session.sessionId}</span>
        <span className="session-meta muted">
          {formatInstant(session.lastEndNs)} · {formatCount(session.turns)} {session.turns === 1 ? 'turn' : 'turns'} ·{' '}
          {formatCount(session.llmCalls)} LLM calls
        </span>
        <span className="session-meta mono">
          <Tokens input={session.inputTokens} output={session.outputTokens} /> · <Cost usd={session.costUsd} unpriced={session.unpricedCalls} />
          {session.errorCount > 0 && <span className="error-mark"> {formatCount(session.errorCount)} errors</span>}
        </span>
      </button>
    </li>
  );
}

function Turn({ turn, index }: { turn: SessionTurn; index: number }) {
  return (
    <li className="session-turn">
      <div className="session-turn-head">
        <span className="mono">#{index + 1}</span> <span className="mono muted">{formatInstant(turn.startNs)}</span>{' '}
        <span className="mono muted">{formatDuration(turn.durationNs)}</span> <span>{turn.rootName ?? ''}</span>
        <span className="session-turn-usage mono muted">
          <Tokens input={turn.inputTokens} output={turn.outputTokens} /> · <Cost usd={turn.costUsd} />
        </span>
        <button type="button" className="link-button" onClick={() => void useSelection.getState().openTrace(turn.traceId)}>
          Open trace
        </button>
      </div>
      <div className="llm-message role-user">
        <div className="llm-message-head">
          <span className="llm-role">input</span>
        </div>
        {turn.input === null ? <p className="muted empty-note">(none recorded)</p> : <pre className="session-text">{turn.input}</pre>}
      </div>
      <div className="llm-message role-assistant">
        <div className="llm-message-head">
          <span className="llm-role">output</span>
        </div>
        {turn.output === null ? <p className="muted empty-note">(none recorded)</p> : <pre className="session-text">{turn.output}</pre>}
      </div>
    </li>
  );
}

function SessionTurns() {
  const openId = useSessions((s) => s.openSessionId);
  const detail = useSessions((s) => s.detail);
  const status = useSessions((s) => s.detailStatus);
  if (!openId) return <p className="pane-message muted">Select a session to see its turns.</p>;
  if (status === 'missing') return <p className="pane-message muted">Session {openId} is not in the store.</p>;
  if (status === 'error') return <p className="error-banner">Could not load session {openId}.</p>;
  if (!detail || detail.sessionId !== openId) return <p className="pane-message muted">Loading session…</p>;
  return (
    <>
      <h3 className="mono">{detail.sessionId}</h3>
      <ol className="session-turns" aria-label="Turns">
        {detail.turns.map((turn, i) => (
          <Turn key={turn.traceId} turn={turn} index={i} />
        ))}
      </ol>
      {detail.truncated && <p className="muted">Only the first {formatCount(detail.turns.length)} turns are shown.</p>}
    </>
  );
}

export function SessionsView() {
  const sessions = useSessions((s) => s.sessions);
  const total = useSessions((s) => s.total);
  const status = useSessions((s) => s.status);
  const error = useSessions((s) => s.error);
  const openId = useSessions((s) => s.openSessionId);
  useEffect(() => {
    void useSessions.getState().refresh();
  }, []);
  return (
    <section className="sessions-view" aria-label="Sessions">
      <div className="sessions-list">
        <div className="sessions-toolbar">
          <span className="muted">
            {formatCount(total)} {total === 1 ? 'session' : 'sessions'}
            {total > sessions.length && ` (latest ${formatCount(sessions.length)} shown)`}
          </span>
          <button type="button" onClick={() => void useSessions.getState().refresh()}>
            Refresh
          </button>
        </div>
        {status === 'error' && <p className="error-banner">Could not load sessions: {error}</p>}
        {status === 'ready' && sessions.length === 0 && (
          <p className="pane-message muted">
            No sessions yet. Spans join a session through session.id, gen_ai.conversation.id and similar attributes.
          </p>
        )}
        <ul className="sessions" aria-label="Session list">
          {sessions.map((s) => (
            <SessionRow key={s.sessionId} session={s} open={s.sessionId === openId} />
          ))}
        </ul>
      </div>
      <div className="session-detail" aria-label="Session">
        <SessionTurns />
      </div>
    </section>
  );
}
