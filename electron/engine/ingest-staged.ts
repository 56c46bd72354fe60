// A decoded OTLP trace request straight to its spans in staging form (store/staged-spans.ts),
// binary, as an ingest worker sends them: what requestToRows and stageRows make together, without
// a row object a span in between, and with each JSON column written as UTF-8 into the buffer
// that is sent (otlp/attributes-json.ts JsonBytes), not built as a string and encoded again.
// The rules are those of ingest.ts requestToRows and stageRows (a test holds the two to the
// same columns): keep the three in step.
import { resourceContext, scopeContext, spanValueTypes, storedParentSpanId, type RequestVerdict } from './ingest';
import { JsonBytes, ValueTypes } from './otlp/attributes-json';
import type { DecodedResourceSpans, DecodedScopeSpans, DecodedSpan, DecodedTraceRequest } from './otlp/types';
import { normalizeLlmColumns, type LlmColumns } from './semconv/normalize';
import type { PriceTable } from './semconv/prices';
import { SPAN_KINDS, STATUS_CODES } from './span-row';
import { groupValues, SpanNumbers, STAGED_GROUP_COLUMNS, textColumn, ValidityBuilder, type StagedColumn, type StagedSpans } from './store/staged-spans';

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

/** What every span of a resource and scope shares, for their group (span_group_staging). */
interface GroupContext {
  resource: ReturnType<typeof resourceContext>;
  scope: ReturnType<typeof scopeContext>;
  rs: Pick<DecodedResourceSpans, 'schemaUrl'>;
  ss: Pick<DecodedScopeSpans, 'scope' | 'schemaUrl'>;
}

/** The staging columns of `n` spans, written row by row (`row`), and their groups (`group`). */
class StagedColumnsWriter {
  private readonly attributes: TextColumnBuilder;
  private readonly num: SpanNumbers;
  private readonly traceId: TextColumnBuilder;
  private readonly spanId: TextColumnBuilder;
  private readonly parentSpanId: TextColumnBuilder;
  private readonly name: TextColumnBuilder;
  private readonly statusMessage: TextColumnBuilder;
  private readonly events: TextColumnBuilder;
  private readonly links: TextColumnBuilder;
  private readonly spanType: TextColumnBuilder;
  private readonly llmProvider: TextColumnBuilder;
  private readonly llmModel: TextColumnBuilder;
  private readonly sessionId: TextColumnBuilder;
  private readonly userId: TextColumnBuilder;
  private readonly traceState: TextColumnBuilder;
  private readonly valueTypes: TextColumnBuilder;
  private readonly groups: (string | null)[][] = Array.from({ length: STAGED_GROUP_COLUMNS }, () => []);
  private readonly groupNo = new Map<string, number>();
  private readonly traceIds = new Set<string>();
  private readonly spanIds = new Set<string>();

  constructor(n: number, private readonly source: string) {
    // Each text column's starting room in bytes a span (it grows as needed).
    const text = (bytesPerRow: number): TextColumnBuilder => new TextColumnBuilder(n, bytesPerRow);
    this.attributes = text(384);
    this.num = new SpanNumbers(n);
    this.traceId = text(32);
    this.spanId = text(16);
    this.parentSpanId = text(16);
    this.name = text(24);
    this.statusMessage = text(0);
    this.events = text(128);
    this.links = text(0);
    this.spanType = text(4);
    this.llmProvider = text(8);
    this.llmModel = text(16);
    this.sessionId = text(0);
    this.userId = text(0);
    this.traceState = text(0);
    this.valueTypes = text(0);
  }

  /** Row `j`: the span and its LLM columns. */
  row(j: number, span: DecodedSpan, llm: LlmColumns, group: GroupContext): void {
    const num = this.num;
    const types = new ValueTypes();
    this.attributes.out.keyValues(span.attributes, types);
    this.attributes.end(j);
    this.traceIds.add(span.traceId);
    this.spanIds.add(span.spanId);
    this.traceId.ascii(j, span.traceId);
    this.spanId.ascii(j, span.spanId);
    const parent = storedParentSpanId(span.parentSpanId);
    if (parent === null) this.parentSpanId.setNull(j);
    else this.parentSpanId.ascii(j, parent);
    this.name.text(j, span.name);
    num.kindNo[j] = enumNo(SPAN_KINDS, span.kind);
    num.startNs[j] = span.startTimeUnixNano;
    num.endNs[j] = span.endTimeUnixNano;
    num.statusNo[j] = enumNo(STATUS_CODES, span.statusCode);
    this.statusMessage.text(j, span.statusMessage === '' ? null : span.statusMessage);
    types.column = 'events';
    if (span.events.length === 0) this.events.setNull(j);
    else {
      this.events.out.events(span.events, types);
      this.events.end(j);
    }
    types.column = 'links';
    if (span.links.length === 0) this.links.setNull(j);
    else {
      this.links.out.links(span.links, types);
      this.links.end(j);
    }
    this.valueTypes.text(j, spanValueTypes(types, group.resource.types, group.scope.types));
    this.spanType.text(j, llm.spanType);
    this.llmProvider.text(j, llm.llmProvider);
    this.llmModel.text(j, llm.llmModel);
    num.usage(j, llm);
    this.sessionId.text(j, llm.sessionId);
    this.userId.text(j, llm.userId);
    this.traceState.text(j, span.traceState === '' ? null : span.traceState);
    num.flags[j] = span.flags;
    num.droppedAttributes[j] = span.droppedAttributesCount;
    num.droppedEvents[j] = span.droppedEventsCount;
    num.droppedLinks[j] = span.droppedLinksCount;
  }

  /** Rows `from` .. `to` - 1 (one scope's spans) belong to `group`'s group, numbered in order of first use. */
  group(from: number, to: number, group: GroupContext): void {
    if (to <= from) return;
    const { values, key } = groupValues({
      serviceName: group.resource.serviceName,
      scopeName: group.ss.scope.name || null,
      scopeVersion: group.ss.scope.version || null,
      resourceAttributesJson: group.resource.json,
      resourceSchemaUrl: group.rs.schemaUrl,
      scopeSchemaUrl: group.ss.schemaUrl,
      scopeAttributesJson: group.scope.json,
      source: this.source,
    });
    let no = this.groupNo.get(key);
    if (no === undefined) {
      no = this.groupNo.size;
      this.groupNo.set(key, no);
      for (let c = 0; c < STAGED_GROUP_COLUMNS; c++) this.groups[c]!.push(values[c]!);
    }
    this.num.groupNo.fill(no, from, to);
  }

  /** The part (every row written). */
  staged(): StagedSpans {
    const count = this.traceId.ends.length;
    return {
      count,
      spans: this.num.columns({
        traceId: this.traceId.column(), spanId: this.spanId.column(), parentSpanId: this.parentSpanId.column(), name: this.name.column(),
        statusMessage: this.statusMessage.column(), attributes: this.attributes.column(), events: this.events.column(),
        links: this.links.column(), spanType: this.spanType.column(), llmProvider: this.llmProvider.column(), llmModel: this.llmModel.column(),
        sessionId: this.sessionId.column(), userId: this.userId.column(), traceState: this.traceState.column(), valueTypes: this.valueTypes.column(),
      }),
      groups: this.groups.map((values) => textColumn(values, true)),
      groupCount: this.groupNo.size,
      traceIds: [...this.traceIds],
      repeatFree: this.spanIds.size === count,
    };
  }
}

/**
 * The request's valid spans (those `verdict` keeps) in staging form, binary: the same columns as
 * stageRows(requestToRows(request, source, prices, verdict).rows, true).
 */
export function stageRequest(request: DecodedTraceRequest, verdict: RequestVerdict, source: string, prices?: PriceTable): StagedSpans {
  const n = verdict.count;
  const { valid } = verdict;
  const columns = new StagedColumnsWriter(n, source);
  let i = 0;
  let j = 0;
  for (const rs of request.resourceSpans) {
    const resource = resourceContext(rs);
    for (const ss of rs.scopeSpans) {
      const group: GroupContext = { resource, scope: scopeContext(ss), rs, ss };
      const first = j;
      for (const span of ss.spans) {
        if (valid[i++] !== 1) continue;
        const llm = normalizeLlmColumns({ name: span.name, attributes: span.attributes, resourceAttributes: resource.attributes, events: span.events }, prices);
        columns.row(j, span, llm, group);
        j++;
      }
      columns.group(first, j, group);
    }
  }
  if (j !== n) throw new Error(`the verdict counts ${n} valid spans, the request has ${j}`);
  return columns.staged();
}
