// The desktop app: one window over the engine, which runs in a worker thread.
import { app, BrowserWindow, dialog } from 'electron';
import { fileURLToPath } from 'node:url';
import { IPC_LIVE_CHANNEL } from '../../shared/api';
import { DEFAULT_HOST, DEFAULT_OTLP_HTTP_PORT, resolveDataDir } from '../engine/config';
import { EngineHost } from './engine-host';
import { registerIpcHandlers } from './ipc';
import { createMainWindow } from './window';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const indexHtml = here('../renderer/index.html');
const preloadPath = here('../preload/index.cjs');
const workerPath = here('./engine-worker.js');

function envPort(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  const dataDir = resolveDataDir();
  const engine = new EngineHost(
    workerPath,
    {
      dataDir,
      host: DEFAULT_HOST,
      // TRACEDECK_OTLP_HTTP_PORT lets tests (and a second install) pick another port; 0 = any free one.
      otlpHttpPort: envPort('TRACEDECK_OTLP_HTTP_PORT') ?? DEFAULT_OTLP_HTTP_PORT,
      // The local API server (for `tracedeck query` while the app runs) takes any free port.
      uiPort: 0,
      staticDir: here('../renderer'),
    },
    {
      onLive: (event) => window?.webContents.send(IPC_LIVE_CHANNEL, event),
      onStatus: (status) => {
        if (status.state === 'failed' && status.message) dialog.showErrorBox('Tracedeck engine', status.message);
      },
      onLog: (line) => console.log(line),
    },
  );

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void engine.stop().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    registerIpcHandlers(engine, indexHtml);
    void engine.start().catch(() => undefined);
    window = createMainWindow(indexHtml, preloadPath);
    window.on('closed', () => {
      window = null;
    });
  });
}
