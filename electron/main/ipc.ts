// IPC handlers: one channel per TraceApi method. The sender must be our own window's main
// frame showing our own page, and every argument is validated before the engine sees it.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ipcChannel, TRACE_API_METHODS } from '../../shared/api';
import { validateApiArgs } from '../../shared/validate';
import type { EngineHost } from './engine-host';
import { isAppUrl } from './window';

export function registerIpcHandlers(engine: EngineHost, indexHtml: string): void {
  const senderAllowed = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && isAppUrl(frame.url, indexHtml);
  };
  for (const method of TRACE_API_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event, ...args: unknown[]) => {
      if (!senderAllowed(event)) throw new Error('IPC from an unexpected sender was refused.');
      const valid = validateApiArgs(method, args);
      return engine.call(method, valid);
    });
  }
}
