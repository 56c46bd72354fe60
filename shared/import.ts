// Types of Parquet / OTLP JSON import and export, shared by the engine, the CLI and the UI.
// (Kept apart from model.ts so the import feature can grow without touching the core model.)
import type { TraceSummary } from './model';

/** The formats the engine recognises without asking (electron/engine/parquet/detect.ts). */
export type ImportFormat =
  | 'tracedeck'
  | 'clickhouse-otel'
  | 'phoenix'
  | 'langsmith'
  | 'llmops-monitoring'
  | 'generic'
  | 'mapped'
  | 'otlp-json';

/** How a duration column counts. */
export type DurationUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * The user's answer to the mapping step: which of the file's columns hold what. Every name
 * must be a column of the file. Start is required, then end or duration.
 */
export interface ColumnMapping {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name?: string;
  start: string;
  end?: string;
  duration?: string;
  durationUnit?: DurationUnit;
  status?: string;
  service?: string;
  kind?: string;
  /** Columns gathered into the span's attributes; default: every column not mapped above. */
  attributes?: string[];
}

export interface FileColumn {
  name: string;
  /** DuckDB's type name, e.g. VARCHAR, BIGINT, TIMESTAMP_NS, MAP(VARCHAR, VARCHAR). */
  type: string;
}

/** What `inspectImportFile` answers for the mapping step. */
export interface ImportInspection {
  path: string;
  /** null when the file is not recognised and needs a mapping. */
  format: ImportFormat | null;
  columns: FileColumn[];
  /** Up to 20 rows, values as JSON-compatible text/numbers. */
  preview: Record<string, unknown>[];
  rowCount: number;
  /** A mapping guessed from common column names (or remembered for this column set). */
  suggestedMapping: ColumnMapping | null;
}

export interface ImportOptions {
  /** Applied to files that are not recognised (generic Parquet tables). */
  mapping?: ColumnMapping;
}

export interface ImportFileResult {
  path: string;
  format: ImportFormat | null;
  /** Rows read from the file. */
  rows: number;
  /** Spans stored. */
  imported: number;
  /** Rows whose (trace id, span id) was already stored or repeated in the file: the first is kept. */
  duplicates: number;
  /** Rows without a trace id, span id or start time. */
  skipped: number;
  error?: string;
}

export interface ImportResult {
  /** true when everything was imported (one transaction); false leaves the store unchanged. */
  ok: boolean;
  files: ImportFileResult[];
  imported: number;
  elapsedMs: number;
  /** The first problem, naming the file, when ok is false. */
  error?: string;
  cancelled?: boolean;
}

/** Live progress of an import (TraceApi live event `import-progress`). */
export interface ImportProgress {
  importId: string;
  path: string;
  filesDone: number;
  filesTotal: number;
  rowsDone: number;
  rowsPerSecond: number;
}

export interface ExportSelection {
  /** A read-only SQL condition over the `spans` view (checked like `query`). */
  where?: string;
  /** Only these traces. */
  traceIds?: string[];
}

export interface ExportResult {
  path: string;
  rows: number;
  bytes: number;
  elapsedMs: number;
}

/** What `previewImport` is asked: the import's own options and a page of the trace list. */
export interface ImportPreviewOptions extends ImportOptions {
  /** Default 100, at most 1000. */
  limit?: number;
  offset?: number;
}

/**
 * A page of the trace list of files read in place while their import runs: newest first, the
 * same summaries the list shows once they are imported.
 */
export interface ImportPreview {
  traces: TraceSummary[];
  /** Traces in the files in all. */
  total: number;
  /** The Parquet files read (OTLP JSON files are not previewed). */
  files: string[];
  /** Their rows: what the import's progress (rowsDone) counts towards. */
  rows: number;
  elapsedMs: number;
}
