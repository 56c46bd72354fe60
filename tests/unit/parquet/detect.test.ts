// Format detection from a Parquet schema, and the mapping guessed from common column names.
import { describe, expect, it } from 'vitest';
import { columnSetKey, detectFormat, guessMapping } from '../../../electron/engine/parquet/detect';

const cols = (...names: string[]) => names.map((name) => ({ name, type: 'VARCHAR' }));

describe('detectFormat', () => {
  it.each([
    [['trace_id', 'span_id', 'start_time', 'end_time', 'attributes', 'resource_attributes', 'events', 'links', 'span_type', 'source'], 'tracedeck'],
    [['Timestamp', 'TraceId', 'SpanId', 'ParentSpanId', 'SpanName', 'Duration'], 'clickhouse-otel'],
    [['context.trace_id', 'context.span_id', 'parent_id', 'name', 'start_time', 'end_time', 'attributes.llm.model_name'], 'phoenix'],
    [['id', 'trace_id', 'parent_run_id', 'name', 'run_type', 'start_time', 'end_time'], 'langsmith'],
    [['trace_id', 'span_id', 'parent_span_id', 'operation_name', 'operation_type', 'timestamp', 'duration_ms'], 'llmops-monitoring'],
    [['traceId', 'spanId', 'parentId', 'operationName', 'startTimeMs', 'durationMs'], 'generic'],
  ])('%j → %s', (names, format) => {
    expect(detectFormat(cols(...names))?.format).toBe(format);
  });

  it('trusts the tracedeck.schema metadata entry', () => {
    expect(detectFormat(cols('a'), { 'tracedeck.schema': '4' })?.format).toBe('tracedeck');
  });

  it('gives up (mapping step) without trace id, span id and start', () => {
    expect(detectFormat(cols('run_key', 'step_key', 'began'))).toBeNull();
    expect(detectFormat(cols('x', 'y'))).toBeNull();
  });
});

describe('guessMapping', () => {
  it('matches names case- and separator-insensitively and does not reuse a column', () => {
    expect(guessMapping(cols('TraceID', 'span.id', 'parent_span_id', 'span_name', 'start', 'end', 'status_code', 'service_name'))).toEqual({
      traceId: 'TraceID',
      spanId: 'span.id',
      parentSpanId: 'parent_span_id',
      name: 'span_name',
      start: 'start',
      end: 'end',
      status: 'status_code',
      service: 'service_name',
    });
  });

  it('keys a column set independently of column order', () => {
    expect(columnSetKey(cols('a', 'b'))).toBe(columnSetKey(cols('b', 'a')));
    expect(columnSetKey(cols('a', 'b'))).not.toBe(columnSetKey(cols('a', 'c')));
  });
});
