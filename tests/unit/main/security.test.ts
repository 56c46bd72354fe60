// The window's security decisions (Electron's security checklist), checked without Electron.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  decideNavigation,
  DOCUMENTATION_URL,
  isAllowedExternalUrl,
  isAllowedRequest,
  isAppUrl,
  secureWebPreferences,
} from '../../../electron/main/security';
import { OTLP_EXPORTER_DOCS_URL } from '../../../electron/main/menu';

const RENDERER = resolve('/opt/Tracedeck/resources/app.asar/out/renderer');
const INDEX_HTML = resolve(RENDERER, 'index.html');
const APP_URL = pathToFileURL(INDEX_HTML).toString();

describe('the window', () => {
  it('is created with every checklist setting on', () => {
    expect(secureWebPreferences('/app/preload.cjs')).toEqual({
      preload: '/app/preload.cjs',
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
    });
    const prefs = secureWebPreferences('/p') as Record<string, unknown>;
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });
});

describe('isAppUrl', () => {
  it('is our index.html, with a hash or query, and nothing else', () => {
    expect(isAppUrl(APP_URL, INDEX_HTML)).toBe(true);
    expect(isAppUrl(`${APP_URL}#/x`, INDEX_HTML)).toBe(true);
    expect(isAppUrl(`${APP_URL}?a=1`, INDEX_HTML)).toBe(true);
    expect(isAppUrl(`${APP_URL}x`, INDEX_HTML)).toBe(false);
    expect(isAppUrl(pathToFileURL(resolve(RENDERER, 'other.html')).toString(), INDEX_HTML)).toBe(false);
    expect(isAppUrl('file:///etc/passwd', INDEX_HTML)).toBe(false);
    expect(isAppUrl('https://example.com/', INDEX_HTML)).toBe(false);
  });
});

describe('outside links', () => {
  it('allows the documentation links the app itself shows', () => {
    expect(isAllowedExternalUrl(DOCUMENTATION_URL)).toBe(true);
    expect(isAllowedExternalUrl(OTLP_EXPORTER_DOCS_URL)).toBe(true);
  });

  it.each([
    'http://opentelemetry.io/docs/', // not https
    'https://opentelemetry.io.evil.example/docs/',
    'https://evil.example/?https://opentelemetry.io/',
    'https://user:pw@opentelemetry.io/',
    'https://opentelemetry.io:8443/',
    'https://github.com/someone-else/repo', // only the project's own pages on github.com
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('decides navigation: stay on our page, outside links to the OS browser, else nothing', () => {
    expect(decideNavigation(`${APP_URL}#/trace/1`, INDEX_HTML)).toBe('allow');
    expect(decideNavigation('https://opentelemetry.io/docs/', INDEX_HTML)).toBe('open-external');
    expect(decideNavigation('https://evil.example/', INDEX_HTML)).toBe('deny');
    expect(decideNavigation('file:///home/user/.ssh/id_rsa', INDEX_HTML)).toBe('deny');
    expect(decideNavigation(pathToFileURL(resolve(RENDERER, 'assets/x.js')).toString(), INDEX_HTML)).toBe('deny');
  });
});

describe('requests the page may make', () => {
  it('loads the built renderer', () => {
    expect(isAllowedRequest(APP_URL, RENDERER)).toBe(true);
    expect(isAllowedRequest(pathToFileURL(resolve(RENDERER, 'assets/index-abc.js')).toString(), RENDERER)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', RENDERER)).toBe(true);
    expect(isAllowedRequest('devtools://devtools/bundled/inspector.html', RENDERER)).toBe(true);
  });

  it.each([
    'https://cdn.example/lib.js',
    'http://127.0.0.1:4318/v1/traces',
    'ws://127.0.0.1:9229/',
    'file:///etc/passwd',
    `${pathToFileURL(RENDERER).toString()}-evil/x.js`,
    `${pathToFileURL(RENDERER).toString()}/../../secret.txt`,
    `${pathToFileURL(RENDERER).toString()}/%2e%2e/%2e%2e/secret.txt`,
    `${pathToFileURL(RENDERER).toString()}/a%2F..%2F..%2Fsecret`,
    'file://remote-host/share/x.js',
    'chrome://settings',
    'nonsense',
  ])('blocks %s', (url) => {
    expect(isAllowedRequest(url, RENDERER)).toBe(false);
  });
});
