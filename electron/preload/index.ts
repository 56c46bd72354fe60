// The bridge: exposes `window.tracedeck` with exactly the TraceApi, one function per IPC
// channel. Nothing else from Electron or Node reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_LIVE_CHANNEL, ipcChannel, type TraceApi } from '../../shared/api';
import type { LiveEvent } from '../../shared/model';

const api: TraceApi = {
  listTraces: (query) => ipcRenderer.invoke(ipcChannel('listTraces'), query),
  getTrace: (traceId) => ipcRenderer.invoke(ipcChannel('getTrace'), traceId),
  getSpan: (traceId, spanId) => ipcRenderer.invoke(ipcChannel('getSpan'), traceId, spanId),
  getStats: () => ipcRenderer.invoke(ipcChannel('getStats')),
  query: (sql, limit) => ipcRenderer.invoke(ipcChannel('query'), sql, limit),
  subscribe: (listener) => {
    const handler = (_event: IpcRendererEvent, live: LiveEvent): void => listener(live);
    ipcRenderer.on(IPC_LIVE_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_LIVE_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('tracedeck', api);
