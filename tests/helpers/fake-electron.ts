// A stand-in for the `electron` module, for tests of the desktop main process in Node (the
// Electron binary is not installed everywhere). It records what main does (windows, IPC
// handlers, dialogs, menus, session hardening) and lets a test fire app events. Use it with
//   vi.mock('electron', async () => (await import('../helpers/fake-electron')).electronModule);
// and import `fake` from here in the same test file.
function makeFake() {
  const state = {
    lockData: undefined as unknown,
    paths: new Map<string, string>(),
    appListeners: new Map<string, ((...args: unknown[]) => unknown)[]>(),
    handlers: new Map<string, (...args: unknown[]) => unknown>(),
    windows: [] as FakeWindow[],
    sent: [] as { channel: string; payload: unknown }[],
    dialogs: [] as Record<string, unknown>[],
    menus: [] as unknown[],
    sessionHardening: [] as string[],
    beforeRequest: null as null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    permissionRequest: null as null | ((c: unknown, p: string, cb: (ok: boolean) => void) => void),
    quitCalls: 0,
    /** Answers for the next message boxes (button index; default 0) and open dialogs (default: cancelled). */
    dialogResponses: [] as number[],
    openDialogResults: [] as { canceled: boolean; filePaths: string[] }[],
    resolveReady: (): void => undefined,
  };
  class Emitter {
    listeners = new Map<string, ((...args: unknown[]) => unknown)[]>();
    on(event: string, listener: (...args: unknown[]) => unknown) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: (...args: unknown[]) => unknown) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const l of this.listeners.get(event) ?? []) l(...args);
    }
  }
  class FakeWebContents extends Emitter {
    windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
    setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
      this.windowOpenHandler = h;
    }
    send(channel: string, payload: unknown) {
      state.sent.push({ channel, payload });
    }
  }
  class FakeWindow extends Emitter {
    webContents = new FakeWebContents();
    title = '';
    loaded = '';
    constructor(readonly options: Record<string, unknown>) {
      super();
      state.windows.push(this);
    }
    loadFile(file: string) {
      this.loaded = file;
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    setTitle(t: string) {
      this.title = t;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {}
    show() {}
    maximize() {}
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1000, height: 700 };
    }
  }
  const ready = new Promise<void>((resolve) => {
    state.resolveReady = resolve;
  });
  const electron = {
    app: {
      name: 'Tracedeck',
      isPackaged: false,
      setPath: (name: string, path: string) => void state.paths.set(name, path),
      getPath: (name: string) => state.paths.get(name) ?? '/nonexistent',
      requestSingleInstanceLock: (data: unknown) => {
        state.lockData = data;
        return true;
      },
      on: (event: string, listener: (...args: unknown[]) => unknown) => {
        state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]);
      },
      whenReady: () => ready,
      quit: () => void state.quitCalls++,
      getVersion: () => '0.0.0-test',
      setAboutPanelOptions: () => undefined,
      showAboutPanel: () => undefined,
      addRecentDocument: () => undefined,
      clearRecentDocuments: () => undefined,
    },
    BrowserWindow: FakeWindow,
    dialog: {
      showMessageBox: async (...args: unknown[]) => {
        state.dialogs.push(args.at(-1) as Record<string, unknown>);
        return { response: state.dialogResponses.shift() ?? 0 };
      },
      showOpenDialog: async () => state.openDialogResults.shift() ?? { canceled: true, filePaths: [] },
    },
    ipcMain: { handle: (channel: string, handler: (...args: unknown[]) => unknown) => void state.handlers.set(channel, handler) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => void state.menus.push(m) },
    nativeTheme: { themeSource: 'system' },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: (c: unknown, p: string, cb: (ok: boolean) => void) => void) => {
          state.permissionRequest = h;
          state.sessionHardening.push('permission-request');
        },
        setPermissionCheckHandler: () => void state.sessionHardening.push('permission-check'),
        setDevicePermissionHandler: () => void state.sessionHardening.push('device-permission'),
        webRequest: {
          onBeforeRequest: (h: (details: { url: string }, cb: (r: { cancel: boolean }) => void) => void) => {
            state.beforeRequest = h;
            state.sessionHardening.push('web-request');
          },
        },
      },
    },
    shell: { openExternal: async () => undefined, openPath: async () => '' },
  };
  return { state, electron };
}

export const fake = makeFake();
export type FakeWindow = InstanceType<typeof fake.electron.BrowserWindow>;
export const electronModule = { ...fake.electron, default: fake.electron };
