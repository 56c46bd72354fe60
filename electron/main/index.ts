// The desktop app: one window over the engine, which runs in a worker thread. This file only
// wires Electron to plain modules that tests cover without Electron: launch-args (argv, second
// launches), open-paths (checking and opening files), settings, window-state, menu, ipc,
// security, messages, and engine-host.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, screen, session, shell, type MessageBoxOptions, type OpenDialogOptions } from 'electron';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_LIVE_CHANNEL, TRACE_API_METHODS } from '../../shared/api';
import { IPC_MENU_CHANNEL, type DesktopSettings, type DesktopSettingsPatch, type MenuCommand, type UpdateSettingsResult } from '../../shared/desktop';
import type { EngineStatus, LiveEvent } from '../../shared/model';
import { DEFAULT_HOST } from '../engine/config';
import { EngineHost, type EngineFailure, type EngineOptions } from './engine-host';
import { createIpcHandlers, registerIpcHandlers } from './ipc';
import { makeSecondInstanceData, parseLaunchArgs, parseSecondInstance, type LaunchRequest } from './launch-args';
import { buildMenuTemplate } from './menu';
import { engineFailureDialog, settingsNotSavedDialog, settingsProblemsDialog, windowTitle } from './messages';
import { openPaths } from './open-paths';
import { isAllowedExternalUrl } from './security';
import { addRecentPath, engineConfig, loadSettings, planSettingsChange, saveSettings, SETTINGS_FILE_NAME } from './settings';
import { hardenSession, hardenWebContents, createMainWindow } from './window';
import { readWindowState, restoreWindowState, WINDOW_STATE_FILE_NAME, writeWindowState } from './window-state';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const rendererDir = here('../renderer');
const indexHtml = here('../renderer/index.html');
const preloadPath = here('../preload/index.cjs');
const workerPath = here('./engine-worker.js');

// Tests (and a second, separate profile) keep settings, window state and the single-instance
// lock apart from the user's: Electron keys the lock on the userData folder.
if (process.env.TRACEDECK_USER_DATA) app.setPath('userData', process.env.TRACEDECK_USER_DATA);

const defaultApp = Boolean(process.defaultApp);
if (!app.requestSingleInstanceLock({ ...makeSecondInstanceData(process.argv, process.cwd(), defaultApp) })) {
  // The running instance got our arguments (second-instance) and opens them.
  app.quit();
} else {
  runApp();
}

function runApp(): void {
  const userData = app.getPath('userData');
  const settingsFile = join(userData, SETTINGS_FILE_NAME);
  const windowStateFile = join(userData, WINDOW_STATE_FILE_NAME);
  const loaded = loadSettings(settingsFile);
  let settings: DesktopSettings = loaded.settings;
  nativeTheme.themeSource = settings.theme;

  let window: BrowserWindow | null = null;
  let resolveWindowShown: () => void = () => undefined;
  /** Dialogs and opened files wait for the window, so a dialog has a parent to sit on. */
  const windowShown = new Promise<void>((resolve) => {
    resolveWindowShown = resolve;
  });
  /** Paths asked for before the window could show dialogs (argv, macOS open-file). */
  const queued: LaunchRequest[] = [parseLaunchArgs(process.argv, { defaultApp, cwd: process.cwd() })];

  const send = (channel: string, payload: LiveEvent | MenuCommand): void => {
    if (window && !window.isDestroyed()) window.webContents.send(channel, payload);
  };

  // End-to-end tests cannot click native dialogs: with TRACEDECK_E2E_DIALOG_LOG set, dialogs
  // are written to that file (one JSON line each) and answered with their last button.
  const dialogLog = process.env.TRACEDECK_E2E_DIALOG_LOG;
  const showMessage = async (message: MessageBoxOptions): Promise<number> => {
    await windowShown;
    const options: MessageBoxOptions = { buttons: ['OK'], ...message, noLink: true };
    if (dialogLog) {
      appendFileSync(dialogLog, `${JSON.stringify(options)}\n`);
      return options.cancelId ?? options.buttons!.length - 1;
    }
    const result = window && !window.isDestroyed() ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return result.response;
  };

  const persist = (): void => {
    try {
      saveSettings(settingsFile, settings);
    } catch (error) {
      void showMessage(settingsNotSavedDialog(settingsFile, error));
    }
  };

  const engineOptions = (): EngineOptions => {
    const config = engineConfig(settings);
    return {
      dataDir: config.dataDir,
      host: config.host,
      // The local API (for `tracedeck query` while the app runs) stays on loopback whatever the
      // receivers bind to: it answers SQL over every stored trace.
      uiHost: DEFAULT_HOST,
      otlpHttpPort: config.otlpHttpPort,
      otlpGrpcPort: config.otlpGrpcPort,
      uiPort: 0,
      staticDir: rendererDir,
      // No price file in the settings: the runtime uses the data folder's prices.json, if any.
      ...(config.pricesPath ? { pricesPath: config.pricesPath } : {}),
    };
  };

  let failureDialogOpen = false;
  const onEngineFailed = async (status: EngineStatus, failure: EngineFailure | undefined): Promise<void> => {
    if (failureDialogOpen) return;
    failureDialogOpen = true;
    let action: string | undefined;
    try {
      const message = engineFailureDialog(status, failure, engine.currentOptions.dataDir, {
        fromEnv: Boolean(process.env.TRACEDECK_DATA),
        fromSettings: settings.dataDir !== null,
      });
      action = message.actions[await showMessage(message)];
    } finally {
      // Before acting: if the new folder or the restart fails too, that gets its own dialog.
      failureDialogOpen = false;
    }
    if (action === 'choose-data-folder') await chooseDataFolder();
    else if (action === 'use-default-data-folder') await changeEngineSettings({ dataDir: null });
    else if (action === 'restart-engine') await engine.restart(engineOptions()).catch(() => undefined);
  };

  const engine = new EngineHost(workerPath, engineOptions(), {
    onLive: (event) => send(IPC_LIVE_CHANNEL, event),
    onStatus: (status, failure) => {
      send(IPC_LIVE_CHANNEL, { type: 'engine-status', ...status });
      if (window && !window.isDestroyed()) window.setTitle(windowTitle(status));
      if (status.state === 'failed') void onEngineFailed(status, failure);
    },
    onLog: (line) => console.log(line),
  });

  // ---- opening files -------------------------------------------------------------------------

  // Parquet import is its own feature: use the engine's `importPaths` once TraceApi has it.
  const importPaths = (TRACE_API_METHODS as readonly string[]).includes('importPaths')
    ? (paths: string[]) => engine.call('importPaths', [paths])
    : null;

  const open = async (request: LaunchRequest): Promise<void> => {
    if (request.paths.length === 0 && request.problems.length === 0) return;
    await windowShown;
    await openPaths(request, {
      importPaths,
      showDialog: (message) => void showMessage(message),
      onOpened: (path) => {
        settings = addRecentPath(settings, path);
        app.addRecentDocument(path);
        persist();
        rebuildMenu();
      },
    });
  };

  const focusWindow = (): void => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  };

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    focusWindow();
    void open(parseSecondInstance(argv, workingDirectory, additionalData, defaultApp));
  });

  // macOS delivers files opened from Finder or the Dock (the .parquet association) here, also
  // before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    if (window) void open({ paths: [path], problems: [] });
    else queued.push({ paths: [path], problems: [] });
  });

  const pickPaths = async (kind: 'file' | 'folder'): Promise<void> => {
    const options: OpenDialogOptions =
      kind === 'file'
        ? { title: 'Open Parquet Files', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Parquet', extensions: ['parquet'] }, { name: 'All Files', extensions: ['*'] }] }
        : { title: 'Open Folders of Parquet Files', properties: ['openDirectory', 'multiSelections'] };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    if (!result.canceled) await open({ paths: result.filePaths, problems: [] });
  };

  // ---- settings ------------------------------------------------------------------------------

  /** Applies a change: moves a receiver or restarts the engine as needed, then saves. */
  const changeEngineSettings = async (patch: Partial<DesktopSettings>): Promise<UpdateSettingsResult> => {
    const plan = planSettingsChange(settings, patch);
    const problems = [...plan.notes];
    let next = plan.next;
    if (Object.keys(plan.receivers).length > 0) {
      try {
        const result = await engine.reconfigure(plan.receivers);
        for (const problem of result.problems) {
          problems.push(problem.message);
          // Keep the port the receiver still listens on in the settings.
          if (problem.receiver === 'otlpHttp') next = { ...next, otlpHttpPort: settings.otlpHttpPort };
          else next = { ...next, otlpGrpcPort: settings.otlpGrpcPort };
        }
      } catch (error) {
        // The engine is not running: the new ports apply when it starts again.
        problems.push(`${(error as Error).message} The new receiver settings apply when the engine starts again.`);
      }
    }
    const themeChanged = next.theme !== settings.theme;
    settings = next;
    persist();
    if (themeChanged) {
      nativeTheme.themeSource = settings.theme;
      send(IPC_MENU_CHANNEL, { command: 'theme', theme: settings.theme });
    }
    rebuildMenu();
    if (plan.restartEngine) await engine.restart(engineOptions()).catch(() => undefined);
    return { settings, problems };
  };

  const chooseDataFolder = async (): Promise<void> => {
    const options: OpenDialogOptions = {
      title: 'Choose the Data Folder',
      message: 'Tracedeck keeps its trace store (tracedeck.duckdb) in this folder.',
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const folder = result.filePaths[0];
    if (result.canceled || !folder) return;
    const { problems } = await changeEngineSettings({ dataDir: folder });
    if (problems.length > 0) void showMessage({ type: 'info', title: 'Tracedeck', message: 'Data folder', detail: problems.join('\n') });
  };

  const choosePriceOverrides = async (): Promise<void> => {
    if (settings.priceOverridesPath) {
      const response = await showMessage({
        type: 'question',
        title: 'Tracedeck',
        message: 'Model prices',
        detail: `Costs use your price overrides in ${settings.priceOverridesPath} before the bundled table.`,
        buttons: ['Choose Another File…', 'Use Bundled Prices Only', 'Cancel'],
        cancelId: 2,
      });
      if (response === 1) await changeEngineSettings({ priceOverridesPath: null });
      if (response !== 0) return;
    }
    const options: OpenDialogOptions = {
      title: 'Choose a Price Table',
      message: 'A JSON file in the layout of the bundled prices.json; its rows win over the bundled ones.',
      properties: ['openFile'],
      filters: [{ name: 'JSON', extensions: ['json'] }],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const file = result.filePaths[0];
    if (!result.canceled && file) await changeEngineSettings({ priceOverridesPath: file });
  };

  // ---- menu ----------------------------------------------------------------------------------

  const rebuildMenu = (): void => {
    const template = buildMenuTemplate(
      { platform: process.platform, appName: app.name, isPackaged: app.isPackaged, recentPaths: settings.recentPaths, theme: settings.theme },
      {
        open: () => void pickPaths('file'),
        openFolder: () => void pickPaths('folder'),
        openRecent: (path) => void open({ paths: [path], problems: [] }),
        clearRecent: () => {
          settings = { ...settings, recentPaths: [] };
          app.clearRecentDocuments();
          persist();
          rebuildMenu();
        },
        send: (command) => send(IPC_MENU_CHANNEL, command),
        setTheme: (theme) => void changeEngineSettings({ theme }),
        chooseDataFolder: () => void chooseDataFolder(),
        choosePriceOverrides: () => void choosePriceOverrides(),
        restartEngine: () => void engine.restart(engineOptions()).catch(() => undefined),
        showDataFolder: () => void shell.openPath(engine.currentOptions.dataDir),
        showAbout: () => app.showAboutPanel(),
        openExternal: (url) => {
          if (isAllowedExternalUrl(url)) void shell.openExternal(url);
        },
      },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  // ---- lifecycle -----------------------------------------------------------------------------

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, indexHtml));
  app.on('window-all-closed', () => app.quit());

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void engine.stop().finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    app.setAboutPanelOptions({ applicationName: 'Tracedeck', applicationVersion: app.getVersion(), copyright: 'MIT License' });
    hardenSession(session.defaultSession, rendererDir);
    registerIpcHandlers(
      ipcMain,
      createIpcHandlers(
        {
          callEngine: (method, args) => engine.call(method, args),
          getEngineStatus: () => engine.getStatus(),
          getSettings: () => settings,
          updateSettings: (patch: DesktopSettingsPatch) => changeEngineSettings(patch),
          openPaths: (paths) => open({ paths, problems: [] }),
        },
        indexHtml,
      ),
    );
    rebuildMenu();
    void engine.start().catch(() => undefined); // failures arrive as a 'failed' status

    const primary = screen.getPrimaryDisplay();
    const workAreas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
    const state = restoreWindowState(readWindowState(windowStateFile), workAreas);
    const win = createMainWindow({ indexHtml, preloadPath, state });
    window = win;
    win.setTitle(windowTitle(engine.getStatus()));
    win.once('ready-to-show', () => setImmediate(resolveWindowShown));
    win.on('close', () => {
      try {
        writeWindowState(windowStateFile, win.getNormalBounds(), win.isMaximized());
      } catch {
        // not worth a dialog on the way out
      }
    });
    win.on('closed', () => {
      window = null;
    });

    void windowShown.then(() => {
      const problems = settingsProblemsDialog(loaded.problems, settingsFile);
      if (problems) void showMessage(problems);
      for (const request of queued.splice(0)) void open(request);
    });
  });
}
