// Builders for store rows and temporary data folders used across tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpanRow } from '../../electron/engine/span-row';

export function tempDir(prefix = 'tracedeck-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
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
