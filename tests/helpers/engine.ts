// An engine on a store in a temporary folder of its own for each test of a file.
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { Engine } from '../../electron/engine/api';
import { tempDir } from './rows';

/**
 * Before each test opens an engine on `<new temp dir>/store.duckdb` and hands it, with the
 * folder's path, to `use`; after it closes that engine and removes the folder.
 */
export function engineForEachTest(prefix: string, use: (opened: { dir: string; engine: Engine }) => void): void {
  let dir: ReturnType<typeof tempDir>;
  let engine: Engine;
  beforeEach(async () => {
    dir = tempDir(prefix);
    engine = await Engine.open({ path: join(dir.path, 'store.duckdb'), dataDir: dir.path });
    use({ dir: dir.path, engine });
  });
  afterEach(async () => {
    await engine.close();
    dir.remove();
  });
}
