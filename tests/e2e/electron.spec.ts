// The desktop app through Playwright's Electron driver. Runs where the Electron binary is
// installed; elsewhere (e.g. CI with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it is skipped, saying why.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { makeExporter, sendSampleTrace } from '../helpers/otel';
import { ROOT } from './serve-app';

function electronBinary(): { path: string | null; reason: string } {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const pathFile = join(dirname(pkg), 'path.txt');
    if (!existsSync(pathFile)) {
      return { path: null, reason: `the Electron binary was not downloaded (${pathFile} is missing; npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? 'unset'})` };
    }
    const binary = join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? { path: binary, reason: '' } : { path: null, reason: `the Electron binary ${binary} is missing` };
  } catch (error) {
    return { path: null, reason: `the electron package is not installed (${(error as Error).message})` };
  }
}

const binary = electronBinary();
if (!binary.path) console.log(`[electron e2e] skipped: ${binary.reason}`);

test('the desktop app launches securely, receives spans from a real exporter and shows the trace', async () => {
  test.skip(!binary.path, `skipped: ${binary.reason}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tracedeck-electron-'));
  const app = await electron.launch({
    executablePath: binary.path!,
    args: [join(ROOT, 'out/main/index.js'), '--no-sandbox'],
    env: { ...process.env, TRACEDECK_DATA: dataDir, TRACEDECK_OTLP_HTTP_PORT: '0' },
  });
  try {
    const window = await app.firstWindow();
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration, webSecurity: p.webSecurity };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    const stats = await window.evaluate(() => (globalThis as unknown as { tracedeck: { getStats(): Promise<{ endpoints: { otlpHttp?: string } }> } }).tracedeck.getStats());
    expect(stats.endpoints.otlpHttp).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await sendSampleTrace(makeExporter('proto', stats.endpoints.otlpHttp!), { rootName: 'GET /desktop' });
    await expect(window.getByRole('table', { name: 'Traces' }).getByText('GET /desktop')).toBeVisible();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
