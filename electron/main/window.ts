// The one window, locked down per Electron's security checklist: context isolation, sandbox,
// no Node in the renderer, web security on, no navigation away, no new windows, no
// permissions, and external links only to an allow-list through the OS browser.
import { BrowserWindow, session, shell } from 'electron';
import { pathToFileURL } from 'node:url';

/** The settings the window is created with; a test asserts them. */
export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
  };
}

const EXTERNAL_ALLOW_LIST = [/^https:\/\/opentelemetry\.io\//, /^https:\/\/github\.com\//];

export function isAppUrl(url: string, indexHtml: string): boolean {
  const appUrl = pathToFileURL(indexHtml).toString();
  return url === appUrl || url.startsWith(`${appUrl}#`) || url.startsWith(`${appUrl}?`);
}

export function createMainWindow(indexHtml: string, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 720,
    minHeight: 480,
    title: 'Tracedeck',
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, indexHtml)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (EXTERNAL_ALLOW_LIST.some((re) => re.test(url))) void shell.openExternal(url);
    return { action: 'deny' };
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  void window.loadFile(indexHtml);
  return window;
}
