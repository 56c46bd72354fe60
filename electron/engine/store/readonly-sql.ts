// Decides whether user SQL is a read-only query over the public views.
//
// DuckDB parses the text for us: json_serialize_sql() serialises SELECT statements only and
// reports an error for anything else (INSERT, DELETE, DROP, ATTACH, COPY, PRAGMA, SET, ...).
// A SELECT can still read files (`FROM 'x.csv'`, read_csv(), read_text()) or call table
// functions, so the parse tree is walked: every table reference must be a public view or a CTE
// defined in the query, table functions are refused, and scalar functions that touch files or
// state are refused by name.

import { PUBLIC_VIEWS } from './schema';

export class RefusedSqlError extends Error {
  override name = 'RefusedSqlError';
}

/** Scalar/aggregate functions that read files, the environment or mutate state. */
const REFUSED_FUNCTIONS = new Set([
  'read_text',
  'read_blob',
  'read_csv',
  'read_csv_auto',
  'read_json',
  'read_json_auto',
  'read_json_objects',
  'read_ndjson',
  'read_ndjson_objects',
  'read_parquet',
  'parquet_scan',
  'parquet_metadata',
  'parquet_schema',
  'glob',
  'getenv',
  'nextval',
  'setval',
  'currval',
  'setseed',
  'query',
  'query_table',
  'sniff_csv',
  'checkpoint',
  'force_checkpoint',
  'sqlite_scan',
  'postgres_scan',
  'http_get',
]);

interface Collected {
  tableNames: string[];
  cteNames: Set<string>;
  functionNames: string[];
  tableFunctions: number;
}

function walk(node: unknown, out: Collected): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  if (obj.type === 'BASE_TABLE' && typeof obj.table_name === 'string') {
    const schema = typeof obj.schema_name === 'string' ? obj.schema_name : '';
    const catalog = typeof obj.catalog_name === 'string' ? obj.catalog_name : '';
    out.tableNames.push(catalog || schema ? `${catalog}.${schema}.${obj.table_name}` : obj.table_name);
  }
  if (obj.type === 'TABLE_FUNCTION') out.tableFunctions++;
  if (obj.class === 'FUNCTION' && typeof obj.function_name === 'string') out.functionNames.push(obj.function_name);
  if (obj.cte_map && typeof obj.cte_map === 'object') {
    const map = (obj.cte_map as { map?: unknown }).map;
    if (Array.isArray(map)) {
      for (const entry of map) {
        const key = (entry as { key?: unknown }).key;
        if (typeof key === 'string') out.cteNames.add(key.toLowerCase());
      }
    }
  }
  for (const value of Object.values(obj)) walk(value, out);
}

/**
 * Checks a parse tree produced by `json_serialize_sql`. Throws RefusedSqlError with a message
 * a user can act on.
 */
export function checkSerializedSql(serialized: string): void {
  let tree: { error?: boolean; error_message?: string; statements?: unknown[] };
  try {
    tree = JSON.parse(serialized) as typeof tree;
  } catch {
    throw new RefusedSqlError('The query could not be parsed.');
  }
  if (tree.error) {
    const message = tree.error_message ?? 'not a query';
    if (/Only SELECT statements/i.test(message)) {
      throw new RefusedSqlError('Only read-only SELECT queries are allowed (the store cannot be changed from here).');
    }
    throw new RefusedSqlError(message);
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) {
    throw new RefusedSqlError(`Exactly one SELECT statement is allowed; got ${statements.length}.`);
  }
  const found: Collected = { tableNames: [], cteNames: new Set(), functionNames: [], tableFunctions: 0 };
  walk(statements, found);
  if (found.tableFunctions > 0) {
    throw new RefusedSqlError('Table functions are not allowed; query the spans, traces and logs views.');
  }
  const allowed = new Set<string>([...PUBLIC_VIEWS, ...found.cteNames]);
  for (const name of found.tableNames) {
    if (!allowed.has(name.toLowerCase())) {
      throw new RefusedSqlError(`Unknown or disallowed table "${name}": only ${PUBLIC_VIEWS.join(', ')} can be queried.`);
    }
  }
  for (const name of found.functionNames) {
    if (REFUSED_FUNCTIONS.has(name.toLowerCase())) {
      throw new RefusedSqlError(`The function ${name}() is not allowed in read-only queries.`);
    }
  }
}
