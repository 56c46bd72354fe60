// A decoded OTLP trace request straight to its spans in staging form (store/staged-spans.ts),
// binary, as an ingest worker sends them: what requestToRows and stageRows make together, without
// a row object a span in between, and with each JSON column written as UTF-8 into the buffer
// that is sent (otlp/attributes-json.ts JsonBytes), not built as a string and encoded again.
// The rules are those of ingest.ts requestToRows and stageRows (a test holds the two to the
// same columns): keep the three in step.
import { resourceContext, scopeContext, spanValueTypes, type RequestVerdict } from './ingest';
import { JsonBytes, ValueTypes } from './otlp/attributes-json';
import type { DecodedTraceRequest } from './otlp/types';
import { normalizeLlmColumns } from './semconv/normalize';
import type { PriceTable } from './semconv/prices';
import { SPAN_KINDS, STATUS_CODES } from './span-row';
import { groupValues, SpanNumbers, STAGED_GROUP_COLUMNS, textColumn, ValidityBuilder, type StagedColumn, type StagedSpans } from './store/staged-spans';

const ZERO_SPAN_ID = '0'.repeat(16);

/** One text column being written: its bytes, where each row ends, and its NULLs. */
class TextColumnBuilder {
  readonly out: JsonBytes;
  readonly ends: Uint32Array;
  private readonly valid: ValidityBuilder;

  constructor(n: number, bytesPerRow: number) {
    this.out = new JsonBytes(Math.max(64, n * bytesPerRow));
    this.ends = new Uint32Array(n);
    this.valid = new ValidityBuilder(n);
  }

  /** Row `i` ends where the bytes written so far end. */
  end(i: number): void {
    this.ends[i] = this.out.at;
  }

  setNull(i: number): void {
    this.valid.setNull(i);
    this.ends[i] = this.out.at;
  }

  /** Row `i` is `value` (NULL for null). */
  text(i: number, value: string | null): void {
    if (value === null) this.valid.setNull(i);
    else this.out.text(value);
    this.ends[i] = this.out.at;
  }

  /** Row `i` is `value`, known ASCII (validated hex ids). */
  ascii(i: number, value: string): void {
    this.out.ascii(value);
    this.ends[i] = this.out.at;
  }

  column(): StagedColumn {
    return { kind: 'text', bytes: this.out.bytes.subarray(0, this.out.at), ends: this.ends, valid: this.valid.mask };
  }
}

/** A span kind or status number as staged: its position in the names, 0 for one outside them. */
const enumNo = (names: readonly string[], no: number): number => (names[no] === undefined ? 0 : no);

/**
 * The request's valid spans (those `verdict` keeps) in staging form, binary: the same columns as
 * stageRows(requestToRows(request, source, prices, verdict).rows, true).
 */
export function stageRequest(request: DecodedTraceRequest, verdict: RequestVerdict, source: string, prices?: PriceTable): StagedSpans {
  const n = verdict.count;
  const { valid } = verdict;
  // Each text column's starting room in bytes a span (it grows as needed).
  const text = (bytesPerRow: number): TextColumnBuilder => new TextColumnBuilder(n, bytesPerRow);
  const traceId = text(32), spanId = text(16), parentSpanId = text(16), name = text(24), statusMessage = text(0), attributes = text(384);
  const events = text(128), links = text(0), spanType = text(4), llmProvider = text(8), llmModel = text(16), sessionId = text(0);
  const userId = text(0), traceState = text(0), valueTypes = text(0);
  const num = new SpanNumbers(n);
  const groups: (string | null)[][] = Array.from({ length: STAGED_GROUP_COLUMNS }, () => []);
  const groupNo = new Map<string, number>();
  const traceIds = new Set<string>();
  const spanIds = new Set<string>();
  let i = 0;
  let j = 0;
  for (const rs of request.resourceSpans) {
    const resource = resourceContext(rs);
    for (const ss of rs.scopeSpans) {
      const scope = scopeContext(ss);
      let group = -1;
      for (const span of ss.spans) {
        if (valid[i++] !== 1) continue;
        if (group < 0) {
          const { values, key } = groupValues({
            serviceName: resource.serviceName,
            scopeName: ss.scope.name || null,
            scopeVersion: ss.scope.version || null,
            resourceAttributesJson: resource.json,
            resourceSchemaUrl: rs.schemaUrl,
            scopeSchemaUrl: ss.schemaUrl,
            scopeAttributesJson: scope.json,
            source,
          });
          const known = groupNo.get(key);
          if (known === undefined) {
            group = groupNo.size;
            groupNo.set(key, group);
            for (let c = 0; c < STAGED_GROUP_COLUMNS; c++) groups[c]!.push(values[c]!);
          } else group = known;
        }
        const llm = normalizeLlmColumns({ name: span.name, attributes: span.attributes, resourceAttributes: resource.attributes, events: span.events }, prices);
        traceIds.add(span.traceId);
        spanIds.add(span.spanId);
        num.groupNo[j] = group;
        traceId.ascii(j, span.traceId);
        spanId.ascii(j, span.spanId);
        if (span.parentSpanId === '' || span.parentSpanId === ZERO_SPAN_ID) parentSpanId.setNull(j);
        else parentSpanId.ascii(j, span.parentSpanId);
        name.text(j, span.name);
        num.kindNo[j] = enumNo(SPAN_KINDS, span.kind);
        num.startNs[j] = span.startTimeUnixNano;
        num.endNs[j] = span.endTimeUnixNano;
        num.statusNo[j] = enumNo(STATUS_CODES, span.statusCode);
        statusMessage.text(j, span.statusMessage === '' ? null : span.statusMessage);
        const types = new ValueTypes();
        attributes.out.keyValues(span.attributes, types);
        attributes.end(j);
        types.column = 'events';
        if (span.events.length === 0) events.setNull(j);
        else {
          events.out.events(span.events, types);
          events.end(j);
        }
        types.column = 'links';
        if (span.links.length === 0) links.setNull(j);
        else {
          links.out.links(span.links, types);
          links.end(j);
        }
        valueTypes.text(j, spanValueTypes(types, resource.types, scope.types));
        spanType.text(j, llm.spanType);
        llmProvider.text(j, llm.llmProvider);
        llmModel.text(j, llm.llmModel);
        num.usage(j, llm);
        sessionId.text(j, llm.sessionId);
        userId.text(j, llm.userId);
        traceState.text(j, span.traceState === '' ? null : span.traceState);
        num.flags[j] = span.flags;
        num.droppedAttributes[j] = span.droppedAttributesCount;
        num.droppedEvents[j] = span.droppedEventsCount;
        num.droppedLinks[j] = span.droppedLinksCount;
        j++;
      }
    }
  }
  if (j !== n) throw new Error(`the verdict counts ${n} valid spans, the request has ${j}`);
  const spans = num.columns({
    traceId: traceId.column(), spanId: spanId.column(), parentSpanId: parentSpanId.column(), name: name.column(),
    statusMessage: statusMessage.column(), attributes: attributes.column(), events: events.column(), links: links.column(),
    spanType: spanType.column(), llmProvider: llmProvider.column(), llmModel: llmModel.column(), sessionId: sessionId.column(),
    userId: userId.column(), traceState: traceState.column(), valueTypes: valueTypes.column(),
  });
  return {
    count: n,
    spans,
    groups: groups.map((values) => textColumn(values, true)),
    groupCount: groupNo.size,
    traceIds: [...traceIds],
    repeatFree: spanIds.size === n,
  };
}
