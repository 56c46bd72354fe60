// The one helper the Electron end-to-end tests use to start the desktop app: the built
// out/main/index.js in the Electron binary that `npm install` fetched, with its own data folder,
// its own userData (settings, window state, single-instance lock), any free OTLP port, and
// native dialogs written to a file instead of shown.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';
import { ROOT } from './serve-app';

export const MAIN = join(ROOT, 'out/main/index.js');

/** The Electron binary, or why there is none (ELECTRON_SKIP_BINARY_DOWNLOAD, no package). */
export function electronBinary(): { path: string | null; reason: string } {
  try {
    const pkg = createRequire(import.meta.url).resolve('electron/package.json');
    const pathFile = join(dirname(pkg), 'path.txt');
    if (!existsSync(pathFile)) {
      return { path: null, reason: `the Electron binary was not downloaded (${pathFile} is missing; npm install ran with ELECTRON_SKIP_BINARY_DOWNLOAD=${process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ?? 'unset'})` };
    }
    const binary = join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8').trim());
    if (!existsSync(binary)) return { path: null, reason: `the Electron binary ${binary} is missing` };
    if (!existsSync(MAIN)) return { path: null, reason: `${MAIN} is missing (run npm run build)` };
    return { path: binary, reason: '' };
  } catch (error) {
    return { path: null, reason: `the electron package is not installed (${(error as Error).message})` };
  }
}

export interface LoggedDialog {
  type?: string;
  message: string;
  detail?: string;
  buttons?: string[];
}

export class ElectronApp {
  private constructor(
    readonly app: ElectronApplication,
    readonly window: Page,
    readonly dirs: { root: string; data: string; userData: string; dialogLog: string },
    private readonly binary: string,
  ) {}

  /** `args` are what a user would type after `tracedeck` (files, folders). */
  static async launch(binary: string, args: string[] = [], reuse?: ElectronApp['dirs']): Promise<ElectronApp> {
    const root = reuse?.root ?? mkdtempSync(join(tmpdir(), 'tracedeck-electron-'));
    const dirs = reuse ?? { root, data: join(root, 'data'), userData: join(root, 'user-data'), dialogLog: join(root, 'dialogs.jsonl') };
    const app = await electron.launch({
      executablePath: binary,
      // --no-sandbox: CI containers run as root, where Chromium's OS sandbox cannot start.
      // The window's own `sandbox: true` preference still applies (the test checks it).
      args: [MAIN, '--no-sandbox', ...args],
      cwd: ROOT,
      env: ElectronApp.env(dirs),
    });
    const window = await app.firstWindow();
    return new ElectronApp(app, window, dirs, binary);
  }

  private static env(dirs: ElectronApp['dirs']): Record<string, string> {
    return {
      ...(process.env as Record<string, string>),
      TRACEDECK_DATA: dirs.data,
      TRACEDECK_USER_DATA: dirs.userData,
      TRACEDECK_OTLP_HTTP_PORT: '0',
      TRACEDECK_OTLP_GRPC_PORT: '0',
      TRACEDECK_E2E_DIALOG_LOG: dirs.dialogLog,
    };
  }

  /** Launches a second instance with `args`; resolves with its exit code (it should hand over and quit). */
  secondInstance(args: string[]): Promise<number | null> {
    const child = spawn(this.binary, [MAIN, '--no-sandbox', ...args], { cwd: ROOT, env: ElectronApp.env(this.dirs), stdio: 'ignore' });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('the second instance did not quit within 20 s'));
      }, 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  dialogs(): LoggedDialog[] {
    if (!existsSync(this.dirs.dialogLog)) return [];
    return readFileSync(this.dirs.dialogLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LoggedDialog);
  }

  async close(): Promise<void> {
    await this.app.close();
  }

  removeDirs(): void {
    rmSync(this.dirs.root, { recursive: true, force: true });
  }
}
