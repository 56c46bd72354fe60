// The one helper e2e tests use to start Tracedeck: `tracedeck serve` from the built app, on
// free ports and a fresh data folder, read back from the lines it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'tracedeck.js');

export class ServeApp {
  private constructor(
    readonly process: ChildProcess,
    readonly dataDir: string,
    readonly uiUrl: string,
    readonly otlpHttpUrl: string,
    readonly output: { stdout: string; stderr: string },
  ) {}

  static async start(extraArgs: string[] = [], dataDir?: string): Promise<ServeApp> {
    const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'tracedeck-e2e-'));
    const child = spawn(process.execPath, [BIN, 'serve', '--data', dir, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--ui-port', '0', ...extraArgs], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stderr!.on('data', (d: Buffer) => (output.stderr += d.toString()));
    const urls = await new Promise<{ ui: string; otlp: string }>((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s:\n${output.stdout}\n${output.stderr}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        output.stdout += d.toString();
        const ui = /^UI: (\S+)$/m.exec(output.stdout)?.[1];
        const otlp = /^OTLP HTTP: (\S+)$/m.exec(output.stdout)?.[1];
        if (ui && otlp) {
          clearTimeout(timer);
          resolvePromise({ ui, otlp });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code}:\n${output.stdout}\n${output.stderr}`));
      });
    });
    return new ServeApp(child, dir, urls.ui, urls.otlp, output);
  }

  /** Sends SIGTERM and resolves with the exit code. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.process.exitCode !== null) return Promise.resolve(this.process.exitCode);
    return new Promise((resolvePromise) => {
      this.process.once('exit', (code) => resolvePromise(code));
      this.process.kill(signal);
    });
  }

  removeData(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
