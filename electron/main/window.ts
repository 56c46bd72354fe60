// The one window, locked down per Electron's security checklist: context isolation, sandbox,
// no Node in the renderer, web security on, only our own files loaded, no navigation away, no
// new windows, no webviews, no permissions, and outside links only to an allow-list through the
// OS browser. The decisions are plain functions in security.ts; this file applies them.
import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { decideNavigation, isAllowedExternalUrl, isAllowedRequest, secureWebPreferences } from './security';
import { WINDOW_SIZE, type WindowState } from './window-state';

export { isAppUrl, secureWebPreferences } from './security';

function openExternal(url: string): void {
  // Checked again here: this is the only place that hands a URL to the OS.
  if (isAllowedExternalUrl(url)) void shell.openExternal(url);
}

const hardened = new WeakSet<WebContents>();

/**
 * Navigation, new windows and webviews for any web contents the app creates. Called for the
 * window and again from app 'web-contents-created'; once per web contents, or an allowed link
 * would open twice.
 */
export function hardenWebContents(contents: WebContents, indexHtml: string): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-frame-navigate', (event) => {
    const decision = decideNavigation(event.url, indexHtml);
    if (decision === 'allow' && event.isMainFrame) return;
    event.preventDefault();
    if (decision === 'open-external') openExternal(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (decideNavigation(event.url, indexHtml) !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}

/** No permission is ever granted, and the page may load nothing but the built renderer. */
export function hardenSession(session: Session, rendererDir: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url, rendererDir) });
  });
}

export interface MainWindowOptions {
  indexHtml: string;
  preloadPath: string;
  state: WindowState;
}

export function createMainWindow({ indexHtml, preloadPath, state }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...(state.bounds ?? { width: state.width, height: state.height }),
    minWidth: WINDOW_SIZE.minWidth,
    minHeight: WINDOW_SIZE.minHeight,
    title: 'Tracedeck',
    show: false,
    backgroundColor: '#1b1d22',
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  // main owns the title: it says when the engine is restarting or failed.
  window.on('page-title-updated', (event) => event.preventDefault());
  hardenWebContents(window.webContents, indexHtml);
  void window.loadFile(indexHtml);
  return window;
}
