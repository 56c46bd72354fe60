// The bridge: exposes `window.tracedeck` — the TraceApi plus the desktop functions of
// shared/desktop.ts — one function per `tracedeck:` IPC channel. Nothing else from Electron or
// Node reaches the page: no ipcRenderer, no generic send, no event objects.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC_LIVE_CHANNEL, ipcChannel } from '../../shared/api';
import { DESKTOP_CHANNELS, IPC_MENU_CHANNEL, type DesktopApi, type MenuCommand } from '../../shared/desktop';
import type { EngineStatus, LiveEvent } from '../../shared/model';

const api: DesktopApi = {
  listTraces: (query) => ipcRenderer.invoke(ipcChannel('listTraces'), query),
  getTrace: (traceId) => ipcRenderer.invoke(ipcChannel('getTrace'), traceId),
  getTraceColumns: (traceId) => ipcRenderer.invoke(ipcChannel('getTraceColumns'), traceId),
  getSpan: (traceId, spanId) => ipcRenderer.invoke(ipcChannel('getSpan'), traceId, spanId),
  getLlmView: (traceId, spanId) => ipcRenderer.invoke(ipcChannel('getLlmView'), traceId, spanId),
  getSpanLogs: (traceId, spanId) => ipcRenderer.invoke(ipcChannel('getSpanLogs'), traceId, spanId),
  getAggregateFlame: (filter, options) =>
    options === undefined ? ipcRenderer.invoke(ipcChannel('getAggregateFlame'), filter) : ipcRenderer.invoke(ipcChannel('getAggregateFlame'), filter, options),
  getSpanSandwich: (name, filter, options) =>
    options === undefined
      ? ipcRenderer.invoke(ipcChannel('getSpanSandwich'), name, filter)
      : ipcRenderer.invoke(ipcChannel('getSpanSandwich'), name, filter, options),
  listSessions: (query) => ipcRenderer.invoke(ipcChannel('listSessions'), query),
  getSession: (sessionId) => ipcRenderer.invoke(ipcChannel('getSession'), sessionId),
  importPaths: (paths, options) =>
    options === undefined ? ipcRenderer.invoke(ipcChannel('importPaths'), paths) : ipcRenderer.invoke(ipcChannel('importPaths'), paths, options),
  previewImport: (paths, options) =>
    options === undefined ? ipcRenderer.invoke(ipcChannel('previewImport'), paths) : ipcRenderer.invoke(ipcChannel('previewImport'), paths, options),
  inspectImportFile: (path) => ipcRenderer.invoke(ipcChannel('inspectImportFile'), path),
  cancelImport: () => ipcRenderer.invoke(ipcChannel('cancelImport')),
  exportParquet: (outPath, selection) =>
    selection === undefined ? ipcRenderer.invoke(ipcChannel('exportParquet'), outPath) : ipcRenderer.invoke(ipcChannel('exportParquet'), outPath, selection),
  exportTraceOtlpJson: (traceId) => ipcRenderer.invoke(ipcChannel('exportTraceOtlpJson'), traceId),
  traceOutline: (traceId) => ipcRenderer.invoke(ipcChannel('traceOutline'), traceId),
  getStats: () => ipcRenderer.invoke(ipcChannel('getStats')),
  cancelQuery: () => ipcRenderer.invoke(ipcChannel('cancelQuery')),
  clearAll: () => ipcRenderer.invoke(ipcChannel('clearAll')),
  pruneTraces: (policy) => ipcRenderer.invoke(ipcChannel('pruneTraces'), policy),
  query: (sql, limit) => (limit === undefined ? ipcRenderer.invoke(ipcChannel('query'), sql) : ipcRenderer.invoke(ipcChannel('query'), sql, limit)),
  subscribe: (listener) => {
    const handler = (_event: IpcRendererEvent, live: LiveEvent): void => listener(live);
    ipcRenderer.on(IPC_LIVE_CHANNEL, handler);
    // A subscriber that arrives late still learns the engine's state (a status bar, a banner).
    void (ipcRenderer.invoke(DESKTOP_CHANNELS.getEngineStatus) as Promise<EngineStatus>).then(
      (status) => listener({ type: 'engine-status', ...status }),
      () => undefined,
    );
    return () => {
      ipcRenderer.removeListener(IPC_LIVE_CHANNEL, handler);
    };
  },
  onMenuCommand: (listener) => {
    const handler = (_event: IpcRendererEvent, command: MenuCommand): void => listener(command);
    ipcRenderer.on(IPC_MENU_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_MENU_CHANNEL, handler);
    };
  },
  getEngineStatus: () => ipcRenderer.invoke(DESKTOP_CHANNELS.getEngineStatus),
  getSettings: () => ipcRenderer.invoke(DESKTOP_CHANNELS.getSettings),
  updateSettings: (patch) => ipcRenderer.invoke(DESKTOP_CHANNELS.updateSettings, patch),
  // File.path is gone (Electron 32); webUtils gives the path of a File the user dropped.
  openDroppedFiles: async (files) => {
    const paths = Array.from(files, (file) => webUtils.getPathForFile(file)).filter((p) => p !== '');
    if (paths.length > 0) await ipcRenderer.invoke(DESKTOP_CHANNELS.openPaths, paths);
  },
};

contextBridge.exposeInMainWorld('tracedeck', api);
