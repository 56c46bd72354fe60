// What the desktop app's preload adds to `window.tracedeck` beyond TraceApi. In a browser
// (serve mode) these are absent: the renderer checks `isDesktopApi(api)` before using them.
// Every function is one IPC channel with the `tracedeck:` prefix; main validates every argument.
import type { TraceApi } from './api';
import type { EngineStatus } from './model';

export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** The settings the window may read. Paths are changed only through native pickers in main. */
export interface DesktopSettings {
  /** Bind address of the OTLP receivers; 127.0.0.1 unless the user asks otherwise. */
  otlpHost: string;
  /** 0 = any free port. */
  otlpHttpPort: number;
  otlpGrpcPort: number;
  /** null = the default data folder (TRACEDECK_DATA, else the app-data folder). */
  dataDir: string | null;
  /** Keep traces this many days; null = forever. */
  retentionDays: number | null;
  /** A JSON price table in the layout of resources/prices.json whose rows win over the bundled ones. */
  priceOverridesPath: string | null;
  theme: Theme;
  /** Most recent first. */
  recentPaths: string[];
}

/** The settings the window may change directly (the rest need a native dialog). */
export type DesktopSettingsPatch = Partial<Pick<DesktopSettings, 'otlpHost' | 'otlpHttpPort' | 'otlpGrpcPort' | 'retentionDays' | 'theme'>>;

export interface UpdateSettingsResult {
  settings: DesktopSettings;
  /** What could not be applied, e.g. "port 4318 is already in use"; the rest was. */
  problems: string[];
}

/** Menu items whose work happens in the window (features of the renderer). */
export type MenuCommand =
  | { command: 'export' }
  | { command: 'settings' }
  | { command: 'theme'; theme: Theme };

export interface DesktopApi extends TraceApi {
  /** Menu items the window should act on; returns the function that unsubscribes. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** The engine's current state (also pushed as `engine-status` live events). */
  getEngineStatus(): Promise<EngineStatus>;
  getSettings(): Promise<DesktopSettings>;
  updateSettings(patch: DesktopSettingsPatch): Promise<UpdateSettingsResult>;
  /** Opens files and folders dropped on the window (File objects from a drop event). */
  openDroppedFiles(files: File[]): Promise<void>;
}

export function isDesktopApi(api: TraceApi): api is DesktopApi {
  return typeof (api as Partial<DesktopApi>).onMenuCommand === 'function';
}

/** IPC channels of the desktop-only functions (TraceApi's channels are in api.ts). */
export const DESKTOP_CHANNELS = {
  getEngineStatus: 'tracedeck:desktop:getEngineStatus',
  getSettings: 'tracedeck:desktop:getSettings',
  updateSettings: 'tracedeck:desktop:updateSettings',
  openPaths: 'tracedeck:desktop:openPaths',
} as const;
export type DesktopChannel = (typeof DESKTOP_CHANNELS)[keyof typeof DESKTOP_CHANNELS];

/** Main → window: a MenuCommand. */
export const IPC_MENU_CHANNEL = 'tracedeck:menu';
