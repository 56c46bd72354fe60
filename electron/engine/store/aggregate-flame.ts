// The views across traces (shared/aggregate.ts), computed in SQL so that no span of the merged
// traces is ever loaded into JS: what comes back is at most `maxFrames` merged frames per half.
//
// 1. `picked`: the newest `maxTraces` traces the filter matches (store/trace-filter.ts, the trace
//    list's own WHERE machinery), with the total that matched.
// 2. `spans_self`: their spans, each with its parent (when the parent is in the trace) and its self
//    time: duration minus the union of its children's intervals clipped to it. The union is one
//    window pass: children sorted by clipped start, each adds what reaches past the furthest end
//    of the children before it (the same figure tree/metrics.ts computes for one trace).
// 3. A recursive walk gives every span a path id: hash(parent's path id, name), from the root (or,
//    for the sandwich, from a focus span downwards and upwards). Spans with the same path are
//    one frame. Path ids are 64-bit hashes: two different paths collide with odds of about
//    n²/2^65 (1e-8 at a million distinct paths), a risk taken to keep each walked row a number
//    rather than a list of names (a 1,000-level path as a list costs O(depth²)).
// 4. The frame bound keeps the widest frames without orphaning any: a frame's weight is the
//    smallest total along its path (parents weigh at least as much as their children), and
//    frames are kept by weight, then depth, so a kept frame's parent always ranks before it.
// 5. The kept frames come back as one JSON text (JSON.parse reads it natively, as trace-detail.ts
//    does), parents first.
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import {
  AGGREGATE_LIMITS,
  type AggregateFlame,
  type AggregateFrame,
  type AggregateOptions,
  type SpanSandwich,
} from '../../../shared/aggregate';
import type { SpanKind, SpanType, TraceFilter } from '../../../shared/model';
import { traceFilterSql, type ExtraTraceConditions } from './trace-filter';

interface Bounds {
  maxTraces: number;
  maxFrames: number;
  maxDepth: number;
}

function clampBound(value: number | undefined, limit: { default: number; max: number }): number {
  if (value === undefined || !Number.isFinite(value)) return limit.default;
  return Math.min(Math.max(Math.trunc(value), 1), limit.max);
}

export function aggregateBounds(options: AggregateOptions = {}): Bounds {
  return {
    maxTraces: clampBound(options.maxTraces, AGGREGATE_LIMITS.maxTraces),
    maxFrames: clampBound(options.maxFrames, AGGREGATE_LIMITS.maxFrames),
    maxDepth: clampBound(options.maxDepth, AGGREGATE_LIMITS.maxDepth),
  };
}

/**
 * The CTEs every view across traces starts from: `picked` (the traces) and `spans_self` (their
 * spans: an integer id (sid) and their parent's (pid, when the parent is in the trace), has_parent and
 * self_ns; `kids` for the walks down. The bounds are integers clamped above, spliced as literals.
 */
function spansOfPickedTraces(filter: TraceFilter, extra: ExtraTraceConditions, bounds: Bounds): { sql: string; params: DuckDBValue[] } {
  const { where, params } = traceFilterSql(filter, extra);
  const sql = `
    picked AS MATERIALIZED (
      SELECT trace_id, count(*) OVER () AS matching
      FROM traces ${where}
      ORDER BY start_time DESC, trace_id DESC
      LIMIT ${bounds.maxTraces}
    ),
    s AS MATERIALIZED (
      SELECT row_number() OVER () AS sid, trace_id, span_id, parent_span_id, name, kind, start_time, end_time, duration_ns,
             status_code, service_name, span_type
      FROM span_data WHERE trace_id IN (SELECT trace_id FROM picked)
    ),
    linked AS MATERIALIZED (
      SELECT c.*, p.sid AS pid, greatest(c.start_time, p.start_time) AS clip_start, least(c.end_time, p.end_time) AS clip_end
      FROM s c LEFT JOIN s p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id AND p.span_id <> c.span_id
    ),
    coverage AS (
      SELECT pid AS sid, sum(greatest(0, ce - greatest(cs, coalesce(furthest_before, cs)))) AS covered_ns
      FROM (
        SELECT pid, epoch_ns(clip_start) AS cs, epoch_ns(clip_end) AS ce,
               max(epoch_ns(clip_end)) OVER (PARTITION BY pid ORDER BY clip_start, clip_end
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS furthest_before
        FROM linked WHERE pid IS NOT NULL AND clip_end > clip_start
      )
      GROUP BY pid
    ),
    spans_self AS MATERIALIZED (
      SELECT l.sid, l.pid, l.trace_id, l.name, l.kind, l.duration_ns, l.status_code = 'error' AS is_error,
             l.service_name, l.span_type, l.pid IS NOT NULL AS has_parent,
             greatest(0, l.duration_ns - coalesce(cv.covered_ns, 0)) AS self_ns
      FROM linked l LEFT JOIN coverage cv ON cv.sid = l.sid
    ),
    -- What the walks down join on, level by level: narrow, keyed by one integer.
    kids AS MATERIALIZED (SELECT pid, sid, name FROM spans_self WHERE pid IS NOT NULL)`;
  return { sql, params };
}

/**
 * `${walk}`: the spans reached going down from the spans_self rows `start` selects (depth 0) to
 * at most maxDepth levels, each with its path; `${walk}_rows` adds their figures for mergedFramesSql.
 */
function descentSql(walk: string, start: string, maxDepth: number): string {
  return `
    ${walk} AS (
      SELECT sid, name, hash(0::UBIGINT, name) AS path, NULL::UBIGINT AS parent_path, 0 AS depth FROM (${start})
      UNION ALL
      SELECT k.sid, k.name, hash(w.path, k.name), w.path, w.depth + 1
      FROM ${walk} w JOIN kids k ON k.pid = w.sid
      WHERE w.depth + 1 < ${maxDepth}
    ),
    ${walk}_rows AS (
      SELECT w.path, w.parent_path, w.depth, x.trace_id, w.name, x.duration_ns AS dur, x.self_ns AS self, x.is_error AS err,
             x.service_name, x.span_type, x.kind
      FROM ${walk} w JOIN spans_self x ON x.sid = w.sid
    )`;
}

/** True when descentSql's `${walk}` stopped at maxDepth with children still below. */
function descentCutSql(walk: string, maxDepth: number): string {
  return `EXISTS (SELECT 1 FROM ${walk} w JOIN kids k ON k.pid = w.sid WHERE w.depth = ${maxDepth - 1})`;
}

/**
 * Merges `${name}_rows` (path, parent_path, depth, trace_id, name, dur, self, err, service_name,
 * span_type, kind; one row per span walked) into frames, weighs them and keeps the widest.
 * Defines `${name}_frames`, `${name}_weight` (recursive) and `${name}_kept`.
 */
function mergedFramesSql(name: string, maxFrames: number): string {
  return `
    ${name}_frames AS MATERIALIZED (
      SELECT path, any_value(parent_path) AS parent_path, min(depth) AS depth, any_value(name) AS name,
             count(*) AS n, count(DISTINCT trace_id) AS traces, sum(dur)::DOUBLE AS total, sum(self)::DOUBLE AS self,
             count(*) FILTER (WHERE err) AS errors, mode(service_name) AS service_name, mode(span_type) AS span_type,
             mode(kind) AS kind
      FROM ${name}_rows GROUP BY path
    ),
    ${name}_weight AS (
      SELECT path, depth, total AS weight FROM ${name}_frames WHERE parent_path IS NULL
      UNION ALL
      SELECT f.path, f.depth, least(f.total, w.weight) FROM ${name}_weight w JOIN ${name}_frames f ON f.parent_path = w.path
    ),
    ${name}_kept AS MATERIALIZED (
      SELECT path FROM ${name}_weight ORDER BY weight DESC, depth, path LIMIT ${maxFrames}
    )`;
}

/** The kept frames of `mergedFramesSql(name)` as one JSON text, parents first. */
function framesJson(name: string): string {
  return `(SELECT to_json(list({p: f.path::VARCHAR, q: f.parent_path::VARCHAR, d: f.depth, n: f.name, c: f.n, t: f.traces,
                                tot: f.total, self: f.self, e: f.errors, s: f.service_name, y: f.span_type, k: f.kind}
                               ORDER BY f.depth, f.total DESC, f.name, f.path))::VARCHAR
           FROM ${name}_frames f WHERE f.path IN (SELECT path FROM ${name}_kept))`;
}

/** Columns `matching` (traces the filter matches) and `traces` (traces merged), from `picked`. */
const PICKED_COUNTS = `coalesce((SELECT max(matching) FROM picked), 0)::DOUBLE AS matching, (SELECT count(*) FROM picked)::DOUBLE AS traces`;

/** One frame as framesJson spells it. */
interface FrameJson {
  p: string;
  q: string | null;
  d: number;
  n: string;
  c: number;
  t: number;
  tot: number;
  self: number;
  e: number;
  s: string | null;
  y: string | null;
  k: string;
}

/** Frames with parent indexes (parents come first, so one pass resolves them). */
function framesFrom(json: unknown): AggregateFrame[] {
  if (json === null || json === undefined) return [];
  const parsed = JSON.parse(String(json)) as FrameJson[];
  const indexByPath = new Map<string, number>();
  const frames: AggregateFrame[] = [];
  for (const f of parsed) {
    const parent = f.q === null ? -1 : (indexByPath.get(f.q) ?? -1);
    indexByPath.set(f.p, frames.length);
    frames.push({
      parent,
      name: f.n,
      depth: f.d,
      count: f.c,
      traceCount: f.t,
      totalNs: f.tot,
      selfNs: f.self,
      errorCount: f.e,
      serviceName: f.s,
      spanType: f.y as SpanType | null,
      kind: f.k as SpanKind,
    });
  }
  return frames;
}

/** Walks from the roots: every span of the picked traces merged by its name path from the root. */
export async function readAggregateFlame(conn: DuckDBConnection, filter: TraceFilter, options: AggregateOptions = {}): Promise<AggregateFlame> {
  const bounds = aggregateBounds(options);
  const extra: ExtraTraceConditions = options.traceId === undefined ? {} : { traceId: options.traceId };
  const base = spansOfPickedTraces(filter, extra, bounds);
  const result = await conn.runAndReadAll(
    `WITH RECURSIVE ${base.sql},
     ${descentSql('agg', 'SELECT * FROM spans_self WHERE NOT has_parent', bounds.maxDepth)},
     ${mergedFramesSql('agg', bounds.maxFrames)}
     SELECT ${PICKED_COUNTS},
            (SELECT count(*) FROM spans_self)::DOUBLE AS spans,
            (SELECT count(*) FROM agg)::DOUBLE AS merged,
            (SELECT count(*) FROM agg_frames)::DOUBLE AS frame_count,
            ${descentCutSql('agg', bounds.maxDepth)} AS depth_limited,
            ${framesJson('agg')} AS frames`,
    base.params,
  );
  const row = result.getRowObjectsJS()[0]!;
  return {
    frames: framesFrom(row.frames),
    traceCount: Number(row.traces),
    matchingTraces: Number(row.matching),
    spanCount: Number(row.spans),
    spansMerged: Number(row.merged),
    totalFrames: Number(row.frame_count),
    depthLimited: row.depth_limited === true,
    ...bounds,
  };
}

/**
 * The sandwich of `name` over the picked traces that have a span of that name. Focus spans are
 * the spans of that name without an ancestor of that name (found by climbing: a climb stops at
 * the first ancestor of that name and marks its start as nested). Callers: the climbs of the
 * focus spans merged by their inverted name path, each row carrying the focus span's figures.
 * Callees: walks down from the focus spans, merged by name path from the focus.
 */
export async function readSpanSandwich(conn: DuckDBConnection, name: string, filter: TraceFilter, options: AggregateOptions = {}): Promise<SpanSandwich> {
  const bounds = aggregateBounds(options);
  const extra: ExtraTraceConditions = options.traceId === undefined ? { spanName: name } : { spanName: name, traceId: options.traceId };
  const base = spansOfPickedTraces(filter, extra, bounds);
  const params = [...base.params, name];
  const focusName = `$${params.length}::VARCHAR`;
  const result = await conn.runAndReadAll(
    `WITH RECURSIVE ${base.sql},
     candidates AS MATERIALIZED (SELECT * FROM spans_self WHERE name = ${focusName}),
     climb AS (
       -- Each row: one focus candidate's figures, carried up, and the ancestor reached.
       SELECT sid AS focus_sid, trace_id, duration_ns AS dur, self_ns AS self, is_error AS err, pid AS next_sid,
              name, service_name, span_type, kind, hash(0::UBIGINT, name) AS path, NULL::UBIGINT AS parent_path, 0 AS depth
       FROM candidates
       UNION ALL
       SELECT u.focus_sid, u.trace_id, u.dur, u.self, u.err, a.pid, a.name, a.service_name, a.span_type, a.kind,
              hash(u.path, a.name), u.path, u.depth + 1
       FROM climb u JOIN spans_self a ON a.sid = u.next_sid
       WHERE u.depth + 1 < ${bounds.maxDepth} AND (u.depth = 0 OR u.name <> ${focusName})
     ),
     nested AS MATERIALIZED (SELECT DISTINCT focus_sid FROM climb WHERE depth > 0 AND name = ${focusName}),
     focus AS MATERIALIZED (SELECT c.* FROM candidates c ANTI JOIN nested n ON n.focus_sid = c.sid),
     callers_rows AS (
       SELECT u.path, u.parent_path, u.depth, u.trace_id, u.name, u.dur, u.self, u.err, u.service_name, u.span_type, u.kind, u.next_sid
       FROM climb u ANTI JOIN nested n ON n.focus_sid = u.focus_sid
     ),
     ${descentSql('callees', 'SELECT * FROM focus', bounds.maxDepth)},
     ${mergedFramesSql('callers', bounds.maxFrames)},
     ${mergedFramesSql('callees', bounds.maxFrames)}
     SELECT ${PICKED_COUNTS},
            (SELECT count(*) FROM candidates)::DOUBLE AS name_count,
            (SELECT count(*) FROM focus)::DOUBLE AS focus_count,
            (SELECT count(*) FROM callers_frames)::DOUBLE AS caller_frames,
            (SELECT count(*) FROM callees_frames)::DOUBLE AS callee_frames,
            EXISTS (SELECT 1 FROM callers_rows WHERE depth = ${bounds.maxDepth - 1} AND next_sid IS NOT NULL) AS callers_limited,
            ${descentCutSql('callees', bounds.maxDepth)} AS callees_limited,
            ${framesJson('callers')} AS callers,
            ${framesJson('callees')} AS callees`,
    params,
  );
  const row = result.getRowObjectsJS()[0]!;
  return {
    name,
    focusCount: Number(row.focus_count),
    nameCount: Number(row.name_count),
    callers: framesFrom(row.callers),
    callees: framesFrom(row.callees),
    totalCallerFrames: Number(row.caller_frames),
    totalCalleeFrames: Number(row.callee_frames),
    callersDepthLimited: row.callers_limited === true,
    calleesDepthLimited: row.callees_limited === true,
    traceCount: Number(row.traces),
    matchingTraces: Number(row.matching),
    ...bounds,
  };
}
