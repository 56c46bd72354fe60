// The desktop main process (built, with the stand-in electron module) whose chosen data folder
// cannot be written: the dialog offers another folder, the user picks one, the engine starts
// there, and the choice is saved. No restart of the app, no second window.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel } from '../../shared/api';
import type { StoreStats } from '../../shared/model';
import { ROOT } from '../e2e/serve-app';
import { fake } from '../helpers/fake-electron';
import { tempDir } from '../helpers/rows';

vi.mock('electron', async () => (await import('../helpers/fake-electron')).electronModule);

const MAIN = join(ROOT, 'out/main/index.js');
const OUR_PAGE = { senderFrame: { url: pathToFileURL(join(ROOT, 'out/renderer/index.html')).toString(), parent: null } };
const dirs = tempDir('tracedeck-main-recover-');
const userData = join(dirs.path, 'user-data');
const blocker = join(dirs.path, 'not-a-folder');
const badDataDir = join(blocker, 'data');
const goodDataDir = join(dirs.path, 'good-data');

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
  mkdirSync(userData, { recursive: true });
  writeFileSync(join(userData, 'settings.json'), JSON.stringify({ dataDir: badDataDir }));
  process.env.TRACEDECK_USER_DATA = userData;
  delete process.env.TRACEDECK_DATA;
  process.env.TRACEDECK_OTLP_HTTP_PORT = '0';
  process.env.TRACEDECK_OTLP_GRPC_PORT = '0';
  delete process.env.TRACEDECK_E2E_DIALOG_LOG;
  process.argv = ['/opt/Tracedeck/tracedeck'];
  // The user answers "Choose Another Folder…" and picks a good folder.
  fake.state.dialogResponses.push(0);
  fake.state.openDialogResults.push({ canceled: false, filePaths: [goodDataDir] });
  await import(MAIN);
  fake.state.resolveReady();
});

afterAll(() => dirs.remove());

describe('recovering from a data folder that cannot be written', () => {
  it('offers another folder, starts the engine there, and saves the choice', async () => {
    const dialog = await until('the dialog', () => fake.state.dialogs[0]);
    expect(dialog.buttons).toEqual(['Choose Another Folder…', 'Use Default Folder', 'Close']);
    const ready = await until('a ready engine', () => fake.state.windows[0]?.title === 'Tracedeck');
    expect(ready).toBe(true);
    const result = (await fake.state.handlers.get(ipcChannel('getStats'))!(OUR_PAGE)) as StoreStats;
    expect(result.dataDir).toBe(goodDataDir);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject({ dataDir: goodDataDir });
    expect(fake.state.windows).toHaveLength(1);
    expect(fake.state.quitCalls).toBe(0);
    expect(fake.state.dialogs).toHaveLength(1);
  });
});
