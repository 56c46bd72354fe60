// The desktop app's main process, run in Node against a stand-in for the `electron` module
// (the Electron binary is not installed everywhere; tests/e2e/electron.spec.ts covers the real
// thing where it is). It imports the BUILT out/main/index.js, so the real engine worker starts,
// and checks the wiring: the single-instance lock with the launch arguments, the locked-down
// window, hardened sessions, every IPC channel answering through the real engine, second
// launches, settings changes moving a receiver, the menu, and a clean quit.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_LIVE_CHANNEL, ipcChannel, TRACE_API_METHODS } from '../../shared/api';
import { DESKTOP_CHANNELS, IPC_MENU_CHANNEL } from '../../shared/desktop';
import type { EngineStatus, LiveEvent, StoreStats, TracePage } from '../../shared/model';
import { ROOT } from '../e2e/serve-app';
import { fake, type FakeWindow } from '../helpers/fake-electron';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { tempDir } from '../helpers/rows';

const MAIN = join(ROOT, 'out/main/index.js');
const INDEX_HTML = join(ROOT, 'out/renderer/index.html');
const OUR_PAGE = { senderFrame: { url: pathToFileURL(INDEX_HTML).toString(), parent: null } };

type Listener = (...args: unknown[]) => unknown;
vi.mock('electron', async () => (await import('../helpers/fake-electron')).electronModule);

// ---- helpers ---------------------------------------------------------------------------------

const dirs = tempDir('tracedeck-main-');
const userData = join(dirs.path, 'user-data');
const dataDir = join(dirs.path, 'data');

function emitApp(event: string, ...args: unknown[]): unknown[] {
  return (fake.state.appListeners.get(event) ?? []).map((l) => (l as Listener)(...args));
}

function invoke(channel: string, ...args: unknown[]): Promise<unknown> {
  const handler = fake.state.handlers.get(channel);
  if (!handler) throw new Error(`no IPC handler for ${channel}`);
  return Promise.resolve(handler(OUR_PAGE, ...args));
}

async function until<T>(what: string, get: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const engineStatuses = () =>
  fake.state.sent.filter((s) => s.channel === IPC_LIVE_CHANNEL && (s.payload as LiveEvent).type === 'engine-status').map((s) => s.payload as EngineStatus);

let window: FakeWindow;

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
  mkdirSync(userData, { recursive: true });
  // A settings file with one bad field: the app starts with the default and says so.
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ theme: 'dark', otlpHttpPort: 'lots' }));
  process.env.TRACEDECK_USER_DATA = userData;
  process.env.TRACEDECK_DATA = dataDir;
  process.env.TRACEDECK_OTLP_HTTP_PORT = '0';
  process.env.TRACEDECK_OTLP_GRPC_PORT = '0';
  delete process.env.TRACEDECK_E2E_DIALOG_LOG;
  // What a packaged app launched as `tracedeck missing.parquet` sees.
  process.argv = ['/opt/Tracedeck/tracedeck', join(dirs.path, 'missing.parquet')];
  await import(MAIN);
  fake.state.resolveReady();
  window = await until('the window', () => fake.state.windows[0]);
  await until('the engine', () => engineStatuses().find((s) => s.state === 'ready'));
});

afterAll(async () => {
  emitApp('before-quit', { preventDefault: () => undefined });
  await until('quit after the engine stopped', () => fake.state.quitCalls > 0);
  dirs.remove();
});

// ---- the tests -------------------------------------------------------------------------------

describe('the desktop main process (built, with a stand-in electron module)', () => {
  it('takes the single-instance lock with its launch arguments, under TRACEDECK_USER_DATA', () => {
    expect(fake.state.paths.get('userData')).toBe(userData);
    expect(fake.state.lockData).toEqual({ argv: process.argv, cwd: process.cwd(), defaultApp: false });
  });

  it('creates one locked-down window on our page', () => {
    expect(fake.state.windows).toHaveLength(1);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(prefs.preload).toBe(join(ROOT, 'out/preload/index.cjs'));
    expect(window.loaded).toBe(INDEX_HTML);
    expect(window.webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // The window's contents are hardened once, even though 'web-contents-created' sees them too.
    emitApp('web-contents-created', {}, window.webContents);
    expect(window.webContents.listeners.get('will-frame-navigate')).toHaveLength(1);
    const navigate = (url: string, isMainFrame = true) => {
      let prevented = false;
      window.webContents.emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate(`${pathToFileURL(INDEX_HTML).toString()}#/trace/abc`)).toBe(false);
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate(pathToFileURL(INDEX_HTML).toString(), false)).toBe(true); // our page, but in a frame
    expect(window.listeners.has('page-title-updated')).toBe(true);
  });

  it('hardens the session: no permissions, no requests outside the built renderer', () => {
    expect(fake.state.sessionHardening.sort()).toEqual(['device-permission', 'permission-check', 'permission-request', 'web-request']);
    let granted: boolean | null = null;
    fake.state.permissionRequest!(null, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    const decide = (url: string) => {
      let cancel: boolean | null = null;
      fake.state.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide(pathToFileURL(INDEX_HTML).toString())).toBe(false);
    expect(decide('https://cdn.example/x.js')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
  });

  it('registers every IPC channel, and answers through the real engine', async () => {
    for (const method of TRACE_API_METHODS) expect(fake.state.handlers.has(ipcChannel(method))).toBe(true);
    for (const channel of Object.values(DESKTOP_CHANNELS)) expect(fake.state.handlers.has(channel)).toBe(true);
    const stats = (await invoke(ipcChannel('getStats'))) as StoreStats;
    expect(stats.dataDir).toBe(dataDir);
    await sendSampleTrace(makeExporter('proto', stats.endpoints.otlpHttp!), { rootName: 'GET /main-process' });
    const page = (await invoke(ipcChannel('listTraces'), {})) as TracePage;
    expect(page.traces.map((t) => t.rootName)).toEqual(['GET /main-process']);
    await expect(invoke(ipcChannel('getTrace'), 42)).rejects.toThrow(/traceId must be/);
    await expect(Promise.resolve(fake.state.handlers.get(ipcChannel('getStats'))!({ senderFrame: { url: 'https://evil.example/', parent: null } }))).rejects.toThrow(
      /unexpected sender/,
    );
    expect(fake.state.sent.some((s) => s.channel === IPC_LIVE_CHANNEL && (s.payload as LiveEvent).type === 'spans-added')).toBe(true);
  });

  it('reports the engine state to the window and in the title', async () => {
    // 'starting' went out before the window existed; the preload asks for the current state
    // when the page subscribes, so a late page still learns it.
    expect(engineStatuses().at(-1)).toMatchObject({ state: 'ready', endpoints: { otlpHttp: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
    expect(window.title).toBe('Tracedeck');
    expect(((await invoke(DESKTOP_CHANNELS.getEngineStatus)) as EngineStatus).state).toBe('ready');
  });

  it('said what was wrong with the settings file and with the launch arguments', async () => {
    const dialogs = await until('two dialogs', () => (fake.state.dialogs.length >= 2 ? fake.state.dialogs : null));
    const text = dialogs.map((d) => `${String(d.message)}\n${String(d.detail)}`).join('\n');
    expect(text).toMatch(/"otlpHttpPort" must be a port number/);
    expect(text).toContain(`${join(dirs.path, 'missing.parquet')} does not exist.`);
  });

  it('opens what a second launch asks for in this window', async () => {
    const before = fake.state.dialogs.length;
    const notParquet = join(dirs.path, 'notes.txt');
    writeFileSync(notParquet, 'x');
    emitApp('second-instance', {}, ['/opt/Tracedeck/tracedeck', '--original-process-start-time=1'], '/', {
      argv: ['/opt/Tracedeck/tracedeck', 'notes.txt', 'https://example.com/a.parquet'],
      cwd: dirs.path,
      defaultApp: false,
    });
    const dialog = await until('a dialog', () => fake.state.dialogs[before]);
    expect(dialog.detail).toContain(`${notParquet} is not a Parquet file`);
    expect(dialog.detail).toContain('https://example.com/a.parquet is a URL');
  });

  it('tells the window an opened file is importing, so it previews it in place, and when it is done', async () => {
    // What File › Open, a drop and `tracedeck FILE.parquet` do: main hands the paths to the engine
    // (in its worker); the window hears of it on the live channel and asks the preview itself.
    const file = join(ROOT, 'tests/fixtures/parquet/clickhouse_otel_traces.parquet');
    const live = (type: string) => fake.state.sent.filter((s) => s.channel === IPC_LIVE_CHANNEL && (s.payload as LiveEvent).type === type).map((s) => s.payload);
    emitApp('open-file', { preventDefault: () => undefined }, file);
    const started = (await until('import-started', () => live('import-started')[0])) as Extract<LiveEvent, { type: 'import-started' }>;
    expect(started.paths).toEqual([file]);
    const preview = (await invoke(ipcChannel('previewImport'), started.paths, { limit: 5 })) as { traces: unknown[]; files: string[] };
    expect(preview.traces).toHaveLength(5);
    const finished = (await until('import-finished', () => live('import-finished')[0])) as Extract<LiveEvent, { type: 'import-finished' }>;
    expect(finished).toMatchObject({ importId: started.importId, ok: true, imported: 200 });
  });

  it('applies a settings change from the window: theme at once, a port by moving the receiver', async () => {
    const result = (await invoke(DESKTOP_CHANNELS.updateSettings, { theme: 'light' })) as { settings: { theme: string }; problems: string[] };
    expect(result).toMatchObject({ settings: { theme: 'light' }, problems: [] });
    expect(fake.electron.nativeTheme.themeSource).toBe('light');
    expect(fake.state.sent).toContainEqual({ channel: IPC_MENU_CHANNEL, payload: { command: 'theme', theme: 'light' } });
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'light', otlpHttpPort: 4318 });
    // TRACEDECK_OTLP_HTTP_PORT wins here, and the window is told so.
    const port = (await invoke(DESKTOP_CHANNELS.updateSettings, { otlpHttpPort: 14318 })) as { problems: string[] };
    expect(port.problems).toEqual([expect.stringMatching(/TRACEDECK_OTLP_HTTP_PORT=0 is set/)]);
    await expect(invoke(DESKTOP_CHANNELS.updateSettings, { dataDir: '/tmp/x' })).rejects.toThrow(/cannot be changed from the window/);
  });

  it('builds the menu, and File › Export… asks the window', () => {
    const template = fake.state.menus.at(-1) as { label?: string; submenu?: { label?: string; click?: () => void }[] }[];
    expect(template.map((m) => m.label)).toEqual(expect.arrayContaining(['&File', '&Edit', '&View', '&Help']));
    const file = template.find((m) => m.label === '&File')!.submenu!;
    file.find((i) => i.label === 'Export…')!.click!();
    expect(fake.state.sent.at(-1)).toEqual({ channel: IPC_MENU_CHANNEL, payload: { command: 'export' } });
  });

  it('remembers the window bounds when the window closes', () => {
    window.emit('close');
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
