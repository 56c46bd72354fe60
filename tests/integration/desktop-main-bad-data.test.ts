// The desktop main process (built, with the stand-in electron module) on a data folder it
// cannot write: one clear dialog, the title says the engine is not running, calls from the
// window are refused with the reason, and the app keeps running (nothing quits).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '../../shared/api';
import { DESKTOP_CHANNELS } from '../../shared/desktop';
import type { EngineStatus } from '../../shared/model';
import { ROOT } from '../e2e/serve-app';
import { fake } from '../helpers/fake-electron';
import { tempDir } from '../helpers/rows';

vi.mock('electron', async () => (await import('../helpers/fake-electron')).electronModule);

const MAIN = join(ROOT, 'out/main/index.js');
const OUR_PAGE = { senderFrame: { url: pathToFileURL(join(ROOT, 'out/renderer/index.html')).toString(), parent: null } };
const dirs = tempDir('tracedeck-main-bad-');
// A plain file where a folder should be: not writable even for root.
const blocker = join(dirs.path, 'not-a-folder');
const dataDir = join(blocker, 'data');

async function until<T>(what: string, get: () => T | undefined | null | false, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = get();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does).`);
  writeFileSync(blocker, 'x');
  process.env.TRACEDECK_USER_DATA = join(dirs.path, 'user-data');
  process.env.TRACEDECK_DATA = dataDir;
  process.env.TRACEDECK_OTLP_HTTP_PORT = '0';
  process.env.TRACEDECK_OTLP_GRPC_PORT = '0';
  delete process.env.TRACEDECK_E2E_DIALOG_LOG;
  process.argv = ['/opt/Tracedeck/tracedeck'];
  await import(MAIN);
  fake.state.resolveReady();
});

afterAll(() => dirs.remove());

describe('a data folder that cannot be written', () => {
  it('gets one clear dialog, and the app keeps running', async () => {
    const dialog = await until('the dialog', () => fake.state.dialogs[0]);
    expect(dialog.message).toBe('Tracedeck cannot use its data folder.');
    expect(dialog.detail).toContain(`The data folder ${dataDir} cannot be created or written`);
    // TRACEDECK_DATA chose the folder, so the dialog says so instead of offering a picker.
    expect(dialog.detail).toMatch(/TRACEDECK_DATA environment variable/);
    expect(dialog.buttons).toEqual(['Close']);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.state.dialogs).toHaveLength(1); // no restart loop, no second dialog
    expect(fake.state.quitCalls).toBe(0);
    expect(fake.state.windows[0]!.title).toBe('Tracedeck — the engine is not running');
  });

  it('refuses calls from the window with the reason', async () => {
    const status = (await fake.state.handlers.get(DESKTOP_CHANNELS.getEngineStatus)!(OUR_PAGE)) as EngineStatus;
    expect(status).toMatchObject({ state: 'failed', message: expect.stringContaining('cannot be created or written') });
    await expect(Promise.resolve(fake.state.handlers.get(ipcChannel('getStats'))!(OUR_PAGE))).rejects.toThrow(/cannot be created or written/);
  });
});
