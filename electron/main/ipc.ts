// IPC handlers: one channel per TraceApi method and per desktop function (shared/desktop.ts).
// Each handler is a plain function, so tests call it without Electron: it refuses a sender that
// is not our own window's main frame showing our own page, and validates every argument
// (count, type, size) before the engine or main acts on it (Electron security checklist,
// "Validate the sender of all IPC messages").
import { isAbsolute } from 'node:path';
import type { IpcMain } from 'electron';
import { ipcChannel, TRACE_API_METHODS, type TraceApiMethod } from '../../shared/api';
import { DESKTOP_CHANNELS, type DesktopSettings, type DesktopSettingsPatch, type UpdateSettingsResult } from '../../shared/desktop';
import type { EngineStatus } from '../../shared/model';
import { ApiArgumentError, validateApiArgs } from '../../shared/validate';
import { MAX_LAUNCH_PATHS } from './launch-args';
import { isAppUrl } from './security';
import { MAX_PATH_LENGTH, validateSettingsPatch } from './settings';

/** The part of Electron's IpcMainInvokeEvent the checks read. */
export interface IpcSender {
  senderFrame: { url: string; parent: unknown } | null;
}

export type IpcHandler = (event: IpcSender, ...args: unknown[]) => Promise<unknown>;

export class IpcSenderError extends Error {
  override name = 'IpcSenderError';
}

/** What the handlers act on; index.ts wires it to the engine host, the settings and dialogs. */
export interface IpcBackend {
  callEngine(method: TraceApiMethod, args: unknown[]): Promise<unknown>;
  getEngineStatus(): EngineStatus;
  getSettings(): DesktopSettings;
  updateSettings(patch: DesktopSettingsPatch): Promise<UpdateSettingsResult>;
  /** Paths from a drop on the window (absolute, checked for shape here, on disk by main). */
  openPaths(paths: string[]): Promise<void>;
}

/** Only our page in the window's top frame may call: not an iframe, not another page. */
export function isTrustedSender(event: IpcSender, indexHtml: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url, indexHtml);
}

function noArguments(args: unknown[]): [] {
  if (args.length !== 0) throw new ApiArgumentError('this call takes no arguments');
  return [];
}

function oneArgument(args: unknown[]): unknown {
  if (args.length !== 1) throw new ApiArgumentError(`this call takes exactly one argument, not ${args.length}`);
  return args[0];
}

/** A list of absolute paths, as webUtils.getPathForFile gives for dropped files. */
export function validateDroppedPaths(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LAUNCH_PATHS) {
    throw new ApiArgumentError(`paths must be a list of 1 to ${MAX_LAUNCH_PATHS} absolute paths`);
  }
  for (const path of value) {
    if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH || path.includes('\0') || !isAbsolute(path)) {
      throw new ApiArgumentError('every path must be an absolute path (a dropped file or folder)');
    }
  }
  return [...new Set(value as string[])];
}

/** Checks the TraceApi arguments, refusing extra ones the method does not take. */
function traceApiArgs(method: TraceApiMethod, args: unknown[]): unknown[] {
  const valid = validateApiArgs(method, args);
  if (args.length > valid.length) throw new ApiArgumentError(`${method} takes at most ${valid.length} argument${valid.length === 1 ? '' : 's'}`);
  return valid;
}

/** Every channel's handler, keyed by channel name. */
export function createIpcHandlers(backend: IpcBackend, indexHtml: string): Map<string, IpcHandler> {
  const handlers = new Map<string, IpcHandler>();
  const add = (channel: string, run: (args: unknown[]) => Promise<unknown> | unknown): void => {
    handlers.set(channel, async (event, ...args) => {
      if (!isTrustedSender(event, indexHtml)) throw new IpcSenderError(`IPC on ${channel} from an unexpected sender was refused.`);
      return run(args);
    });
  };
  for (const method of TRACE_API_METHODS) {
    add(ipcChannel(method), (args) => backend.callEngine(method, traceApiArgs(method, args)));
  }
  add(DESKTOP_CHANNELS.getEngineStatus, (args) => (noArguments(args), backend.getEngineStatus()));
  add(DESKTOP_CHANNELS.getSettings, (args) => (noArguments(args), backend.getSettings()));
  add(DESKTOP_CHANNELS.updateSettings, (args) => backend.updateSettings(validateSettingsPatch(oneArgument(args))));
  add(DESKTOP_CHANNELS.openPaths, (args) => backend.openPaths(validateDroppedPaths(oneArgument(args))));
  return handlers;
}

/** Registers the handlers with Electron's ipcMain (index.ts passes it in). */
export function registerIpcHandlers(ipc: Pick<IpcMain, 'handle'>, handlers: Map<string, IpcHandler>): void {
  for (const [channel, handler] of handlers) ipc.handle(channel, (event, ...args: unknown[]) => handler(event, ...args));
}
