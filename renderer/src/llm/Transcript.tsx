// An LLM span's conversation as a transcript: system prompt, messages by role, tool calls with
// pretty-printed arguments, tool results, retrieved documents, tools offered; model, parameters,
// tokens (in/out/cached/reasoning), cost, latency and time to first token. The view comes from
// the engine (TraceApi.getLlmView), already normalised whatever instrumentation wrote the span.
// Every string is span content and is rendered as React text only: no HTML, no links.
import { useEffect, useState, type ReactNode } from 'react';
import type { LlmDocument, LlmMessage, LlmMessagePart, LlmView } from '../../../shared/llm';
import { getApi } from '../api';
import { errorMessage, formatCount } from '../format';
import { foldPoint, prettyJson, usageFacts } from './transcript-format';
import './transcript.css';

/** An LLM span without messages is read again this many times, this far apart (≈ the SDKs' 5 s export interval, twice). */
const LOG_RETRIES = 5;
const LOG_RETRY_MS = 2_000;

/** The roles that get their own colour; anything else is shown with the neutral style. */
const KNOWN_ROLES = new Set(['system', 'user', 'assistant', 'tool', 'function', 'developer', 'input', 'output']);

function Folded({ text, className }: { text: string; className?: string }) {
  const [open, setOpen] = useState(false);
  const cut = foldPoint(text);
  const shown = cut === null || open ? text : `${text.slice(0, cut)}…`;
  return (
    <div className={`llm-content ${className ?? ''}`}>
      <pre>{shown}</pre>
      {cut !== null && (
        <button type="button" className="link-button llm-fold" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show less' : `Show all (${formatCount(text.length)} characters)`}
        </button>
      )}
    </div>
  );
}

function Part({ part }: { part: LlmMessagePart }) {
  switch (part.type) {
    case 'text':
      return <Folded text={part.text} />;
    case 'tool_call':
      return (
        <div className="llm-tool-call">
          <div className="llm-part-head">
            <span className="llm-tag">tool call</span> <span className="mono llm-tool-name">{part.name}</span>
            {part.id && <span className="muted mono"> {part.id}</span>}
          </div>
          <Folded text={prettyJson(part.arguments)} className="mono" />
        </div>
      );
    case 'tool_result':
      return (
        <div className="llm-tool-result">
          <div className="llm-part-head">
            <span className="llm-tag">tool result</span>
            {part.id && <span className="muted mono"> {part.id}</span>}
          </div>
          <Folded text={prettyJson(part.content)} className="mono" />
        </div>
      );
    case 'other':
      return (
        <div className="llm-other">
          <div className="llm-part-head">
            <span className="llm-tag">{part.kind ?? 'other'}</span>
          </div>
          <Folded text={part.value} className="mono" />
        </div>
      );
  }
}

function Message({ message }: { message: LlmMessage }) {
  const roleClass = KNOWN_ROLES.has(message.role) ? `role-${message.role}` : 'role-other';
  return (
    <li className={`llm-message ${roleClass}`}>
      <div className="llm-message-head">
        <span className="llm-role">{message.role}</span>
        {message.name && <span className="muted"> {message.name}</span>}
        {message.finishReason && <span className="muted llm-finish"> finish: {message.finishReason}</span>}
      </div>
      {message.parts.length === 0 ? <p className="muted empty-note">(empty)</p> : message.parts.map((part, i) => <Part key={i} part={part} />)}
    </li>
  );
}

function Messages({ title, messages }: { title: string; messages: LlmMessage[] }) {
  if (messages.length === 0) return null;
  return (
    <>
      <h5>
        {title} <span className="count">{messages.length}</span>
      </h5>
      <ol className="llm-messages" aria-label={title}>
        {messages.map((m, i) => (
          <Message key={i} message={m} />
        ))}
      </ol>
    </>
  );
}

function Documents({ documents }: { documents: LlmDocument[] }) {
  if (documents.length === 0) return null;
  return (
    <>
      <h5>
        Retrieved documents <span className="count">{documents.length}</span>
      </h5>
      <ol className="llm-documents">
        {documents.map((d, i) => (
          <li key={i}>
            <div className="llm-part-head">
              <span className="mono">{d.id ?? `#${i + 1}`}</span>
              {d.score !== undefined && <span className="muted"> score {d.score}</span>}
            </div>
            <Folded text={d.content} />
            {d.metadata && <Folded text={prettyJson(d.metadata)} className="mono muted" />}
          </li>
        ))}
      </ol>
    </>
  );
}

function TranscriptBody({ view }: { view: LlmView }) {
  return (
    <div className="llm-transcript">
      <dl className="facts llm-usage">
        {usageFacts(view).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={value === 'no price' ? 'muted' : 'mono'}>{value}</dd>
          </div>
        ))}
      </dl>
      {view.parameters.length > 0 && (
        <dl className="llm-parameters" aria-label="Parameters">
          {view.parameters.map((p) => (
            <div key={p.name}>
              <dt>{p.name}</dt>
              <dd className="mono">{p.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {view.system !== null && (
        <>
          <h5>System instructions</h5>
          <div className="llm-message role-system">
            <Folded text={view.system} />
          </div>
        </>
      )}
      <Messages title="Input" messages={view.input} />
      <Messages title="Output" messages={view.output} />
      <Documents documents={view.documents} />
      {view.tools.length > 0 && (
        <>
          <h5>
            Tools offered <span className="count">{view.tools.length}</span>
          </h5>
          <ul className="llm-tools">
            {view.tools.map((t, i) => (
              <li key={i}>
                <span className="mono llm-tool-name">{t.name}</span>
                {t.description && <span className="muted"> {t.description}</span>}
                {t.parameters && <Folded text={prettyJson(t.parameters)} className="mono" />}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function hasContent(view: LlmView): boolean {
  return view.spanType !== null || view.input.length > 0 || view.output.length > 0 || view.documents.length > 0 || view.tools.length > 0;
}

/** The transcript section of a span's detail; renders nothing for a span without LLM content. */
export function Transcript({ traceId, spanId }: { traceId: string; spanId: string }) {
  const [state, setState] = useState<{ key: string; view: LlmView | null; error: string | null } | null>(null);
  const key = `${traceId}/${spanId}`;
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempts = 0;
    const load = (): void => {
      getApi()
        .getLlmView(traceId, spanId)
        .then(
          (view) => {
            if (cancelled) return;
            setState({ key, view, error: null });
            // The official OpenTelemetry instrumentations send the messages as log records, which
            // their SDK exports apart from (and often after) the span: look again for a while.
            if (view && view.spanType === 'llm' && view.input.length === 0 && view.output.length === 0 && attempts++ < LOG_RETRIES) {
              timer = setTimeout(load, LOG_RETRY_MS);
            }
          },
          (error: unknown) => !cancelled && setState({ key, view: null, error: errorMessage(error) }),
        );
    };
    load();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [traceId, spanId, key]);

  let body: ReactNode = null;
  if (state === null || state.key !== key) body = null;
  else if (state.error !== null) body = <p className="error-banner">Could not read the conversation: {state.error}</p>;
  else if (state.view && hasContent(state.view)) body = <TranscriptBody view={state.view} />;
  if (body === null) return null;
  return (
    <section className="llm-section" aria-label="Conversation">
      <h4>Conversation</h4>
      {body}
    </section>
  );
}
