// Builders for store rows and temporary data folders used across tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { emptyDecodedSpan, type DecodedSpan } from '../../electron/engine/otlp/types';
import type { SpanRow } from '../../electron/engine/span-row';

export function tempDir(prefix = 'tracedeck-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A decoded OTLP span with nothing set (every field at its protobuf default); override what the test is about. */
export function decodedSpan(overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return { ...emptyDecodedSpan(), ...overrides };
}

/** A valid row; override what the test is about. Times default to 2026-11-23T00:00:00Z. */
export function spanRow(overrides: Partial<SpanRow> = {}): SpanRow {
  const startNs = overrides.startNs ?? 1_795_392_000_000_000_000n;
  return {
    traceId: 'a'.repeat(32),
    spanId: '1'.repeat(16),
    parentSpanId: null,
    traceState: '',
    flags: 1,
    name: 'span',
    kind: 'internal',
    startNs,
    endNs: startNs + 1_000_000n,
    statusCode: 'unset',
    statusMessage: '',
    serviceName: 'svc',
    scopeName: 'test',
    scopeVersion: '1.0.0',
    attributesJson: '{}',
    resourceAttributesJson: '{"service.name":"svc"}',
    scopeAttributesJson: '{}',
    eventsJson: '[]',
    linksJson: '[]',
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    resourceSchemaUrl: '',
    scopeSchemaUrl: '',
    spanType: null,
    llmProvider: null,
    llmModel: null,
    inputTokens: null,
    outputTokens: null,
    totalTokens: null,
    costUsd: null,
    sessionId: null,
    userId: null,
    source: 'test',
    ...overrides,
  };
}

/** Hex id of `n` for the given width: traceHex(7) = '000...07'. */
export const hexId = (n: number, width: 16 | 32): string => n.toString(16).padStart(width, '0');

/**
 * A fresh store path in a temporary folder for each test of the file (vitest hooks registered
 * here, the folder removed after each test); call at the top level of a test file.
 */
export function tempStorePath(): () => string {
  let dir: ReturnType<typeof tempDir> | null = null;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir?.remove());
  return () => join(dir!.path, 'tracedeck.duckdb');
}
