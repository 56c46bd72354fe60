// The security decisions of the desktop app, as plain functions so tests can check them without
// Electron (Electron's security checklist, electronjs.org/docs/latest/tutorial/security):
// the window's web preferences, which URLs are our own page, which outside links may open in
// the OS browser, and which requests the page may make at all. window.ts and index.ts apply them.
import { resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The settings the window is created with (checklist items 2–4, 6, 8–10); a test asserts them. */
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
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

/** True for our own page (index.html, with any hash or query), nothing else under file://. */
export function isAppUrl(url: string, indexHtml: string): boolean {
  const appUrl = pathToFileURL(indexHtml).toString();
  return url === appUrl || url.startsWith(`${appUrl}#`) || url.startsWith(`${appUrl}?`);
}

/** Where the app's own documentation lives (Help › Documentation). */
export const DOCUMENTATION_URL = 'https://github.com/tracedeck/tracedeck#readme';

/**
 * Outside pages the window may open, in the OS browser only: https, an exact host, and a path
 * under the given prefix. Anything else a span or a page link asks for is dropped.
 */
export const EXTERNAL_URL_ALLOW_LIST: readonly { host: string; pathPrefix: string }[] = [
  { host: 'github.com', pathPrefix: '/tracedeck/' },
  { host: 'opentelemetry.io', pathPrefix: '/' },
  { host: 'www.electronjs.org', pathPrefix: '/docs/' },
];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  return EXTERNAL_URL_ALLOW_LIST.some((entry) => parsed.hostname === entry.host && parsed.pathname.startsWith(entry.pathPrefix));
}

/**
 * What a navigation of the window may do: stay (our own page), open in the OS browser (an
 * allowed outside link clicked without target=_blank), or nothing at all.
 */
export type NavigationDecision = 'allow' | 'open-external' | 'deny';

export function decideNavigation(url: string, indexHtml: string): NavigationDecision {
  if (isAppUrl(url, indexHtml)) return 'allow';
  return isAllowedExternalUrl(url) ? 'open-external' : 'deny';
}

/**
 * The requests the window's session lets through (checklist item 1, "no remote content"):
 * the built renderer's own files and nothing else. The page talks to the engine over IPC, so
 * it never needs the network; the CSP in renderer/index.html says the same a second time.
 */
export function isAllowedRequest(url: string, rendererDir: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  switch (parsed.protocol) {
    case 'devtools:':
    case 'data:':
    case 'blob:':
      return true;
    case 'file:': {
      let path: string;
      try {
        path = fileURLToPath(parsed);
      } catch {
        return false; // an encoded separator or a remote host (file://server/share)
      }
      // Windows paths compare without case (Chromium may spell the drive letter differently).
      const fold = (p: string): string => (sep === '\\' ? p.toLowerCase() : p);
      const root = fold(resolve(rendererDir));
      const target = fold(path);
      return target === root || target.startsWith(root.endsWith(sep) ? root : root + sep);
    }
    default:
      return false;
  }
}
