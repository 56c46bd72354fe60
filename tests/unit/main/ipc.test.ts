// Every IPC handler of the desktop app, called the way Electron calls it: bad arguments are
// refused before the engine or main sees them, and so is any sender but our own page.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { createIpcHandlers, IpcSenderError, registerIpcHandlers, type IpcBackend, type IpcSender } from '../../../electron/main/ipc';
import { DEFAULT_SETTINGS } from '../../../electron/main/settings';
import { ipcChannel, TRACE_API_METHODS } from '../../../shared/api';
import { DESKTOP_CHANNELS } from '../../../shared/desktop';
import { ApiArgumentError } from '../../../shared/validate';

const INDEX_HTML = resolve('/opt/Tracedeck/resources/app.asar/out/renderer/index.html');
const APP_URL = pathToFileURL(INDEX_HTML).toString();
const ours: IpcSender = { senderFrame: { url: APP_URL, parent: null } };

let calls: { what: string; args: unknown[] }[];
const backend: IpcBackend = {
  callEngine: async (method, args) => {
    calls.push({ what: method, args });
    return { ok: true };
  },
  getEngineStatus: () => {
    calls.push({ what: 'getEngineStatus', args: [] });
    return { state: 'ready' };
  },
  getSettings: () => {
    calls.push({ what: 'getSettings', args: [] });
    return { ...DEFAULT_SETTINGS };
  },
  updateSettings: async (patch) => {
    calls.push({ what: 'updateSettings', args: [patch] });
    return { settings: { ...DEFAULT_SETTINGS, ...patch }, problems: [] };
  },
  openPaths: async (paths) => {
    calls.push({ what: 'openPaths', args: [paths] });
  },
};

const handlers = createIpcHandlers(backend, INDEX_HTML);
const handler = (channel: string) => {
  const h = handlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return h;
};

beforeEach(() => {
  calls = [];
});

const long = (n: number) => 'x'.repeat(n);

/**
 * For every channel: arguments that must be refused, and arguments that must pass. A channel
 * added without an entry here fails the first test, so new handlers get bad-input cases too.
 */
const CASES: Record<string, { bad: unknown[][]; good: unknown[][] }> = {
  [ipcChannel('listTraces')]: {
    bad: [
      ['not an object'],
      [42],
      [[]],
      [{ limit: 0 }],
      [{ limit: 1001 }],
      [{ limit: 1.5 }],
      [{ offset: -1 }],
      [{ sort: { by: 'name; DROP TABLE spans', dir: 'asc' } }],
      [{ sort: { by: 'start', dir: 'sideways' } }],
      [{ filter: 'x' }],
      [{ filter: { fromNs: '12abc' } }],
      [{ filter: { toNs: 17 } }],
      [{ filter: { services: 'checkout' } }],
      [{ filter: { services: [1, 2] } }],
      [{}, 'extra'],
    ],
    good: [[{}], [{ limit: 10, sort: { by: 'duration', dir: 'desc' }, filter: { services: ['a'], fromNs: '1795392000000000000' } }]],
  },
  [ipcChannel('getTrace')]: {
    bad: [[], [''], [null], [42], [{ id: 'x' }], [long(513)], ['a'.repeat(32), 'extra']],
    good: [['a'.repeat(32)]],
  },
  [ipcChannel('getTraceColumns')]: {
    bad: [[], [''], [null], [42], [{ id: 'x' }], [long(513)], ['a'.repeat(32), 'extra']],
    good: [['a'.repeat(32)]],
  },
  [ipcChannel('getSpan')]: {
    bad: [[], ['a'.repeat(32)], ['a'.repeat(32), ''], [1, 2], ['a'.repeat(32), long(513)], ['a'.repeat(32), 'b'.repeat(16), 'extra']],
    good: [['a'.repeat(32), 'b'.repeat(16)]],
  },
  // Added with the LLM view (shared/llm.ts); keyed by name so this file compiles before and after.
  'tracedeck:getLlmView': {
    bad: [[], ['a'.repeat(32)], ['a'.repeat(32), ''], [1, 2], [long(513), 'b'.repeat(16)], ['a'.repeat(32), 'b'.repeat(16), 'extra']],
    good: [['a'.repeat(32), 'b'.repeat(16)]],
  },
  // Added with sessions (shared/llm.ts).
  'tracedeck:listSessions': {
    bad: [['not an object'], [{ limit: 0 }], [{ limit: 1001 }], [{ offset: -1 }], [{ limit: '10' }], [{}, 'extra']],
    good: [[{}], [{ limit: 10, offset: 5 }]],
  },
  'tracedeck:getSession': {
    bad: [[], [''], [42], [long(513)], ['chat-1', 'extra']],
    good: [['chat-1']],
  },
  // Added with the views across traces (issue 5, shared/aggregate.ts).
  'tracedeck:getAggregateFlame': {
    bad: [
      [],
      ['not a filter'],
      [{ fromNs: 'soon' }],
      [{}, 'options'],
      [{}, { maxTraces: 0 }],
      [{}, { maxTraces: 10_001 }],
      [{}, { maxFrames: 20_001 }],
      [{}, { maxDepth: 1.5 }],
      [{}, { traceId: '' }],
      [{}, { traceId: long(513) }],
      [{}, {}, 'extra'],
    ],
    good: [[{}], [{ status: 'error' }, { maxTraces: 10, maxFrames: 100, maxDepth: 5, traceId: 'a'.repeat(32) }]],
  },
  'tracedeck:getSpanSandwich': {
    bad: [
      [],
      ['', {}],
      [42, {}],
      [long(2001), {}],
      ['llm call'],
      ['llm call', 'not a filter'],
      ['llm call', {}, { maxFrames: 0 }],
      ['llm call', {}, { traceId: 7 }],
      ['llm call', {}, {}, 'extra'],
    ],
    good: [['llm call', {}], ['llm call', { services: ['a'] }, { maxTraces: 5, traceId: 'a'.repeat(32) }]],
  },
  // Added with OTLP logs (issue 3).
  'tracedeck:getSpanLogs': {
    bad: [[], ['a'.repeat(32)], ['a'.repeat(32), ''], [1, 2], [long(513), 'b'.repeat(16)], ['a'.repeat(32), 'b'.repeat(16), 'extra']],
    good: [['a'.repeat(32), 'b'.repeat(16)]],
  },
  [ipcChannel('getStats')]: {
    bad: [['extra'], [{}]],
    good: [[]],
  },
  [ipcChannel('cancelQuery')]: {
    bad: [['extra']],
    good: [[]],
  },
  [ipcChannel('clearAll')]: {
    bad: [[true]],
    good: [[]],
  },
  [ipcChannel('pruneTraces')]: {
    bad: [[], ['x'], [{ olderThanNs: 5 }], [{ olderThanNs: '-1' }], [{ maxSpans: -1 }], [{ maxSpans: 1.5 }], [{}, 'extra']],
    good: [[{}], [{ olderThanNs: '1795392000000000000', maxSpans: 1000 }]],
  },
  [ipcChannel('listSessions')]: {
    bad: [['sessions'], [{ limit: 0 }], [{ limit: 1001 }], [{ offset: -1 }], [{}, 'extra']],
    good: [[], [{ limit: 10, offset: 0 }]],
  },
  [ipcChannel('getSession')]: {
    bad: [[], [''], [42], [long(600)], ['s1', 'extra']],
    good: [['session-1']],
  },
  [ipcChannel('importPaths')]: {
    bad: [[], ['/a.parquet'], [[]], [[42]], [['/a\0.parquet']], [['/a.parquet'], { mapping: 'x' }], [['/a.parquet'], { mapping: { traceId: 't' } }], [['/a.parquet'], {}, 'extra']],
    good: [[['/data/a.parquet']], [['/data/a.parquet'], { mapping: { traceId: 't', spanId: 's', start: 'ts' } }]],
  },
  [ipcChannel('previewImport')]: {
    bad: [[], ['/a.parquet'], [[]], [[7]], [['/a.parquet'], { limit: 0 }], [['/a.parquet'], { limit: 1001 }], [['/a.parquet'], { offset: -1 }], [['/a.parquet'], { limit: 1.5 }], [['/a.parquet'], 'x'], [['/a.parquet'], {}, 'extra']],
    good: [[['/data/a.parquet']], [['/data/a.parquet'], { limit: 200, offset: 0, mapping: { traceId: 't', spanId: 's', start: 'ts' } }]],
  },
  [ipcChannel('inspectImportFile')]: {
    bad: [[], [''], [42], ['/a\0'], ['/a.parquet', 'extra']],
    good: [['/data/a.parquet']],
  },
  [ipcChannel('cancelImport')]: {
    bad: [['extra']],
    good: [[]],
  },
  [ipcChannel('exportParquet')]: {
    bad: [[], [''], [42], ['/out.parquet', 'all'], ['/out.parquet', { where: 7 }], ['/out.parquet', { traceIds: [1] }], ['/out.parquet', {}, 'extra']],
    good: [['/tmp/out.parquet'], ['/tmp/out.parquet', { traceIds: ['a'.repeat(32)] }]],
  },
  [ipcChannel('exportTraceOtlpJson')]: {
    bad: [[], [''], [42], ['a', 'extra']],
    good: [['a'.repeat(32)]],
  },
  [ipcChannel('traceOutline')]: {
    bad: [[], [''], [null], ['a', 'extra']],
    good: [['a'.repeat(32)]],
  },
  [ipcChannel('query')]: {
    bad: [[], [''], [42], [long(100_001)], ['SELECT 1', 0], ['SELECT 1', 100_001], ['SELECT 1', '10'], ['SELECT 1', 10, 'extra']],
    good: [['SELECT 1'], ['SELECT 1', 10]],
  },
  [DESKTOP_CHANNELS.getEngineStatus]: {
    bad: [['extra']],
    good: [[]],
  },
  [DESKTOP_CHANNELS.getSettings]: {
    bad: [['extra']],
    good: [[]],
  },
  [DESKTOP_CHANNELS.updateSettings]: {
    bad: [
      [],
      [null],
      ['theme=dark'],
      [{ theme: 'purple' }],
      [{ otlpHttpPort: 70000 }],
      [{ otlpHttpPort: -1 }],
      [{ otlpHttpPort: '4318' }],
      [{ otlpGrpcPort: 1.5 }],
      [{ otlpHost: 'example.com' }],
      [{ otlpHost: '127.0.0.1; rm -rf /' }],
      [{ retentionDays: 0 }],
      [{ retentionDays: 100_000 }],
      // Paths change only through native pickers in main, never from the page.
      [{ dataDir: '/tmp/elsewhere' }],
      [{ priceOverridesPath: '/etc/passwd' }],
      [{ recentPaths: ['/x.parquet'] }],
      [{ __proto__: { theme: 'dark' }, constructor: 'x' }],
      [{ theme: 'dark' }, 'extra'],
    ],
    good: [[{ theme: 'dark' }], [{ otlpHttpPort: 0, otlpHost: '0.0.0.0', retentionDays: null }], [{ otlpHost: '::1', retentionDays: 30 }]],
  },
  [DESKTOP_CHANNELS.openPaths]: {
    bad: [
      [],
      ['/a.parquet'],
      [[]],
      [['relative/a.parquet']],
      [[42]],
      [['/a\0.parquet']],
      [[`/${long(5000)}`]],
      [Array.from({ length: 1001 }, (_, i) => `/f${i}.parquet`)],
      [['/a.parquet'], 'extra'],
    ],
    good: [[['/data/a.parquet', '/data/traces']]],
  },
};

describe('IPC handlers', () => {
  it('has a handler for every TraceApi method and a bad-argument case for every handler', () => {
    for (const method of TRACE_API_METHODS) expect(handlers.has(ipcChannel(method))).toBe(true);
    const missing = [...handlers.keys()].filter((channel) => !(channel in CASES));
    expect(missing, 'every IPC channel needs bad-argument cases in CASES').toEqual([]);
    for (const channel of handlers.keys()) expect(channel.startsWith('tracedeck:')).toBe(true);
  });

  // Cases for a channel that does not exist (yet) are skipped, not failed.
  for (const [channel, { bad, good }] of Object.entries(CASES).filter(([c]) => handlers.has(c))) {
    describe(channel, () => {
      it.each(bad.map((args) => [JSON.stringify(args, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 10)}…(${v.length})` : v)), args]))(
        'refuses %s',
        async (_label, args) => {
          await expect(handler(channel)(ours, ...(args as unknown[]))).rejects.toBeInstanceOf(ApiArgumentError);
          expect(calls).toEqual([]);
        },
      );

      it('passes valid arguments through', async () => {
        for (const args of good) await handler(channel)(ours, ...args);
        expect(calls).toHaveLength(good.length);
      });

      it('refuses a sender that is not our page in the top frame', async () => {
        const args = good[0]!;
        const strangers: IpcSender[] = [
          { senderFrame: null },
          { senderFrame: { url: 'https://evil.example/', parent: null } },
          { senderFrame: { url: APP_URL, parent: { url: APP_URL } } },
          { senderFrame: { url: pathToFileURL(resolve('/tmp/other.html')).toString(), parent: null } },
          { senderFrame: { url: `${APP_URL}.evil.html`, parent: null } },
          { senderFrame: { url: 'devtools://devtools/bundled/inspector.html', parent: null } },
        ];
        for (const sender of strangers) await expect(handler(channel)(sender, ...args)).rejects.toBeInstanceOf(IpcSenderError);
        expect(calls).toEqual([]);
      });
    });
  }

  it('hands the engine the validated arguments, not what was sent', async () => {
    await handler(ipcChannel('listTraces'))(ours, { limit: 5, extra: 'dropped', filter: { services: ['a'], other: 1 } });
    expect(calls).toEqual([{ what: 'listTraces', args: [{ limit: 5, filter: { services: ['a'] } }] }]);
  });

  it('accepts our page with a hash or query (client-side routes)', async () => {
    await handler(ipcChannel('getStats'))({ senderFrame: { url: `${APP_URL}#/trace/abc`, parent: null } });
    await handler(ipcChannel('getStats'))({ senderFrame: { url: `${APP_URL}?x=1`, parent: null } });
    expect(calls).toHaveLength(2);
  });

  it('registers every handler with ipcMain', () => {
    const registered: string[] = [];
    registerIpcHandlers({ handle: (channel: string) => void registered.push(channel) }, handlers);
    expect(registered.sort()).toEqual([...handlers.keys()].sort());
  });
});
