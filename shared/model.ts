// The data model shared by the engine, both transports and the renderer.
// Plain types only: no node built-ins, no DOM, no runtime dependencies.
//
// Time: absolute instants travel as decimal strings of nanoseconds since the Unix epoch
// (`...Ns: string`), because 1.7e18 does not fit a double. Durations and offsets within one
// trace travel as plain numbers of nanoseconds: 2^53 ns is 104 days, longer than any trace.

export type SpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type StatusCode = 'unset' | 'ok' | 'error';
export type SpanType =
  | 'llm'
  | 'embedding'
  | 'tool'
  | 'retriever'
  | 'reranker'
  | 'agent'
  | 'chain'
  | 'guardrail'
  | 'evaluator';

/** One row of the trace list (the `traces` view). */
export interface TraceSummary {
  traceId: string;
  rootName: string | null;
  serviceName: string | null;
  startNs: string;
  durationNs: number;
  spanCount: number;
  errorCount: number;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  sessionId: string | null;
}

/** What the trace list sorts by: every column of the list (tokens = input + output). */
export type TraceSortKey = 'start' | 'duration' | 'spans' | 'errors' | 'name' | 'service' | 'tokens' | 'cost' | 'session';

export interface TraceFilter {
  /** Only traces that start at or after this instant (ns since epoch, decimal string). */
  fromNs?: string;
  /** Only traces that start before this instant. */
  toNs?: string;
  /** Only traces whose root service is one of these. Empty or absent: any service. */
  services?: string[];
  /** Traces with a span (root or any other) whose name contains this, case-insensitive. */
  name?: string;
  /** 'error': traces with at least one error span; 'ok': traces without any. */
  status?: 'error' | 'ok';
  /** Trace duration bounds in nanoseconds, inclusive. */
  minDurationNs?: number;
  maxDurationNs?: number;
  /** Traces with a span of one of these types (llm, tool, ...). */
  spanTypes?: SpanType[];
  /** Traces with a span whose model (response, else request) is one of these. */
  models?: string[];
  /** Every condition must hold for some span of the trace (each may be met by a different span). */
  attributes?: AttributeCondition[];
  /**
   * Full-text search, case-insensitive: span names, attribute values, events (where many
   * instrumentations put inputs and outputs) and linked log bodies.
   */
  text?: string;
}

export type AttributeOp = '=' | '!=' | 'contains' | '>' | '<' | 'exists';

/**
 * A condition on one attribute key of a span (`scope: 'span'`, the default) or of its
 * resource. Keys are matched literally (`http.status_code` is one key, not a path).
 * `>` and `<` compare numerically; `=`, `!=` and `contains` compare the value's text form.
 */
export interface AttributeCondition {
  key: string;
  op: AttributeOp;
  /** Required except for 'exists'. */
  value?: string;
  scope?: 'span' | 'resource';
}

export interface TraceQuery {
  filter?: TraceFilter;
  sort?: { by: TraceSortKey; dir: 'asc' | 'desc' };
  /** Page size, 1..1000; default 100. */
  limit?: number;
  offset?: number;
}

export interface TracePage {
  traces: TraceSummary[];
  /** How many traces match the filter in all. */
  total: number;
}

/**
 * One span as the trace views need it: flat, small, no attribute payloads. Offsets are
 * relative to the trace's start so a 100,000-span trace stays cheap to send and lay out.
 */
export interface SpanSummary {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: SpanKind;
  serviceName: string | null;
  startOffsetNs: number;
  durationNs: number;
  statusCode: StatusCode;
  spanType: SpanType | null;
  llmModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Stated or price-table cost; null = no price (or not an LLM call). */
  costUsd: number | null;
  eventCount: number;
  /** When the span's events happened, as offsets from the trace's start (absent: no events). */
  eventOffsetsNs?: number[];
}

export interface TraceDetail {
  traceId: string;
  startNs: string;
  durationNs: number;
  /** Spans ordered by start time, then span id. */
  spans: SpanSummary[];
}

/**
 * A trace's spans as columns (TraceApi.getTraceColumns), for the trace views: one array per
 * SpanSummary field, index i = TraceDetail.spans[i], and the fields whose values repeat (name,
 * kind, service, status, span type, model) as indexes into `strings` (-1 = null). At 100,000
 * spans this is under half the JSON of one object per span and much quicker to parse and send;
 * shared/span-columns.ts converts both ways.
 */
export interface SpanColumns {
  spanId: string[];
  parentSpanId: (string | null)[];
  /** The distinct values of the string-coded fields below, in order of first use. */
  strings: string[];
  name: number[];
  kind: number[];
  serviceName: number[];
  statusCode: number[];
  spanType: number[];
  llmModel: number[];
  startOffsetNs: number[];
  durationNs: number[];
  /** The fields most spans have no value for (sparse: all-null arrays were a fifth of the JSON). */
  inputTokens: SparseColumn<number>;
  outputTokens: SparseColumn<number>;
  costUsd: SparseColumn<number>;
  eventCount: number[];
  /** The spans whose SpanSummary.eventOffsetsNs is present. */
  eventOffsetsNs: SparseColumn<number[]>;
}

/** Values only some spans have: `values[k]` is span `at[k]`'s (`at` ascending); the other spans have none (null). */
export interface SparseColumn<T> {
  at: number[];
  values: T[];
}

export interface TraceColumns {
  traceId: string;
  startNs: string;
  durationNs: number;
  spans: SpanColumns;
}

/**
 * Attribute-shaped payloads (attributes, resource attributes, events, links) are carried as
 * JSON text exactly as stored, so integers beyond 2^53 survive the trip; `parseJsonLossless`
 * in shared/json.ts reads them without rounding.
 */
export interface SpanDetail {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  traceState: string;
  name: string;
  kind: SpanKind;
  startNs: string;
  endNs: string;
  durationNs: number;
  statusCode: StatusCode;
  statusMessage: string;
  serviceName: string | null;
  scopeName: string | null;
  scopeVersion: string | null;
  attributesJson: string;
  resourceAttributesJson: string;
  eventsJson: string;
  linksJson: string;
  spanType: SpanType | null;
  llmProvider: string | null;
  llmModel: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  costUsd: number | null;
  sessionId: string | null;
  userId: string | null;
  source: string;
}

export interface StoreStats {
  traceCount: number;
  spanCount: number;
  /** Bytes of the store's files on disk. */
  diskBytes: number;
  /** Spans received since the engine started. */
  spansReceived: number;
  /** Where the engine listens; absent when a receiver is off. */
  endpoints: { otlpHttp?: string; otlpGrpc?: string; ui?: string };
  dataDir: string;
  /** Log records received since the engine started. */
  logsReceived?: number;
  /** OTLP metrics requests answered since the engine started (metrics are not stored). */
  metricsRequests?: number;
  /** OTLP requests refused because the write queue was full (429/503, gRPC UNAVAILABLE). */
  requestsRefused?: number;
  /**
   * The ingest journal (README, "Durability"): requests acknowledged once journaled, under load,
   * before their rows were committed; requests replayed from it at start (an earlier process
   * stopped first); journaled requests whose rows then failed to commit (kept for the next start).
   */
  journal?: { acknowledgedEarly: number; replayedAtStart: number; failedAfterAcknowledge: number };
  /**
   * Trace requests decoded on ingest worker threads and on the engine's own thread (no worker,
   * or its worker died holding them), and the workers running now.
   */
  decoding?: { onWorkers: number; onEngineThread: number; workers: number };
  /**
   * The imports running now, as their `import-started` event told them: a window opened after that
   * event takes the import up from here (its preview, progress and Cancel).
   */
  imports?: RunningImport[];
}

/** An import the engine is running (`import-started`, StoreStats.imports). */
export interface RunningImport {
  importId: string;
  paths: string[];
  mapping?: import('./import').ColumnMapping;
}

/** One OTLP log record linked to a span (the official GenAI instrumentation sends prompts so). */
export interface SpanLog {
  /** Nanoseconds since the epoch as a decimal string; null when the sender left it unset. */
  timeNs: string | null;
  observedTimeNs: string | null;
  severityText: string;
  severityNumber: number;
  /** e.g. gen_ai.user.message; '' when none. */
  eventName: string;
  /** The body as typed JSON text (see attributes), null when the record has none. */
  bodyJson: string | null;
  attributesJson: string;
  scopeName: string | null;
}

export interface QueryResult {
  columns: { name: string; type: string }[];
  /** Rows as JSON-safe values: big integers and timestamps as strings. */
  rows: unknown[][];
  /** True when more rows existed than the limit allowed. */
  truncated: boolean;
  elapsedMs: number;
}

/**
 * The engine's state in the desktop app, where it runs in a thread that can die and be
 * restarted. Serve mode never sends it (there the engine and the server live and die together).
 */
export interface EngineStatus {
  state: 'starting' | 'ready' | 'restarting' | 'failed';
  /** Why it is restarting or failed, for the window to show. */
  message?: string;
  /** Where the engine listens once ready; a receiver that could not start is absent. */
  endpoints?: StoreStats['endpoints'];
  /** Things the user should know that did not stop the engine (e.g. "port 4318 is already in use"). */
  notices?: string[];
}

/** Pushed to subscribers when the store changes (and, in the desktop app, when the engine's state does). */
export type LiveEvent =
  | { type: 'spans-added'; count: number; traceIds: string[] }
  | { type: 'store-cleared' }
  | ({ type: 'import-progress' } & import('./import').ImportProgress)
  /**
   * An import began, whoever asked (the desktop's File › Open, a drop, a launch argument, another
   * window, `tracedeck import` into a running instance): a window shows its preview
   * (previewImport of these paths and mapping) until the matching `import-finished`.
   */
  | ({ type: 'import-started' } & RunningImport)
  | ({ type: 'import-finished'; importId: string } & import('./import').ImportResult)
  | ({ type: 'engine-status' } & EngineStatus);
