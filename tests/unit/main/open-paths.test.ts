// Opening files and folders: every bad path gets one clear line, good ones still open, and
// nothing throws (the app keeps running).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPaths, openPaths, problemsDialog, type DialogMessage, type PathFs } from '../../../electron/main/open-paths';
import { tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
const p = (...parts: string[]) => join(dir.path, ...parts);

beforeAll(() => {
  dir = tempDir('tracedeck-open-');
  writeFileSync(p('run.parquet'), 'PAR1');
  writeFileSync(p('RUN2.PARQUET'), 'PAR1');
  writeFileSync(p('notes.txt'), 'hello');
  mkdirSync(p('empty'));
  mkdirSync(p('llmops', '2026-11-23'), { recursive: true });
  writeFileSync(p('llmops', '2026-11-23', 'events_0.parquet'), 'PAR1');
  mkdirSync(p('only-text'));
  writeFileSync(p('only-text', 'a.csv'), 'a,b');
  mkdirSync(p('too-deep', 'a', 'b', 'c'), { recursive: true });
  writeFileSync(p('too-deep', 'a', 'b', 'c', 'x.parquet'), 'PAR1');
  mkdirSync(p('hidden', '.cache'), { recursive: true });
  writeFileSync(p('hidden', '.cache', 'x.parquet'), 'PAR1');
});
afterAll(() => dir.remove());

describe('checkPaths', () => {
  it('accepts .parquet files (any case) and folders with some, up to two levels down', () => {
    expect(checkPaths([p('run.parquet'), p('RUN2.PARQUET'), p('llmops'), p('llmops', '2026-11-23')])).toEqual({
      importable: [p('run.parquet'), p('RUN2.PARQUET'), p('llmops'), p('llmops', '2026-11-23')],
      problems: [],
    });
  });

  it('names what is wrong with each bad path', () => {
    expect(checkPaths([p('missing.parquet'), p('notes.txt'), p('empty'), p('only-text'), p('too-deep'), p('hidden'), p('run.parquet', 'x')]).problems).toEqual([
      { path: p('missing.parquet'), reason: 'does not exist' },
      { path: p('notes.txt'), reason: expect.stringMatching(/^is not a Parquet file/) },
      { path: p('empty'), reason: expect.stringMatching(/^is a folder with nothing to import/) },
      { path: p('only-text'), reason: expect.stringMatching(/^is a folder with nothing to import/) },
      { path: p('too-deep'), reason: expect.stringMatching(/^is a folder with nothing to import/) },
      { path: p('hidden'), reason: expect.stringMatching(/^is a folder with nothing to import/) },
      { path: p('run.parquet', 'x'), reason: 'does not exist' },
    ]);
  });

  it('says when a file or folder cannot be read (EACCES, as a non-root user would get)', () => {
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const fs: PathFs = {
      statSync: (path) => ({ isFile: () => path.endsWith('.parquet'), isDirectory: () => !path.endsWith('.parquet') }),
      accessSync: (path) => {
        if (path.includes('locked')) throw denied;
      },
      readdirSync: () => {
        throw denied;
      },
    };
    expect(checkPaths(['/locked.parquet', '/unlistable-folder'], fs).problems).toEqual([
      { path: '/locked.parquet', reason: 'cannot be read (permission denied)' },
      { path: '/unlistable-folder', reason: 'cannot be read (permission denied)' },
    ]);
  });
});

describe('problemsDialog', () => {
  it('says nothing when nothing is wrong', () => {
    expect(problemsDialog([])).toBeNull();
  });

  it('names the one item, or counts them and lists at most twelve', () => {
    expect(problemsDialog([{ path: '/d/x.parquet', reason: 'does not exist' }])).toEqual({
      type: 'warning',
      title: 'Tracedeck',
      message: 'Tracedeck cannot open x.parquet.',
      detail: '/d/x.parquet does not exist.',
    });
    const many = problemsDialog(
      Array.from({ length: 15 }, (_, i) => ({ path: `/f${i}`, reason: 'does not exist' })),
      [{ arg: 'http://x', reason: 'is a URL' }],
    )!;
    expect(many.message).toBe('Tracedeck cannot open 16 of the items it was given.');
    expect(many.detail.split('\n')).toHaveLength(13);
    expect(many.detail).toMatch(/^http:\/\/x is a URL\./);
    expect(many.detail).toMatch(/…and 4 more\.$/);
  });
});

describe('openPaths', () => {
  const request = () => ({ paths: [p('run.parquet'), p('missing.parquet'), p('llmops')], problems: [{ arg: 'https://x', reason: 'is a URL' }] });

  it('imports the good paths, remembers them, and shows one dialog for the bad ones', async () => {
    const dialogs: DialogMessage[] = [];
    const imported: string[][] = [];
    const opened: string[] = [];
    const result = await openPaths(request(), {
      importPaths: async (paths) => void imported.push(paths),
      showDialog: (m) => void dialogs.push(m),
      onOpened: (path) => void opened.push(path),
    });
    expect(imported).toEqual([[p('run.parquet'), p('llmops')]]);
    expect(opened).toEqual([p('run.parquet'), p('llmops')]);
    expect(result.imported).toEqual(opened);
    expect(dialogs).toHaveLength(1);
    expect(dialogs[0]!.detail).toContain(`${p('missing.parquet')} does not exist.`);
    expect(dialogs[0]!.detail).toContain('https://x is a URL.');
  });

  it('says import is not there yet when the engine has no importPaths', async () => {
    const dialogs: DialogMessage[] = [];
    const result = await openPaths({ paths: [p('run.parquet')], problems: [] }, { importPaths: null, showDialog: (m) => void dialogs.push(m), onOpened: () => undefined });
    expect(result.imported).toEqual([]);
    expect(dialogs).toEqual([expect.objectContaining({ type: 'info', message: 'Opening run.parquet needs Parquet import.' })]);
    expect(dialogs[0]!.detail).toContain(p('run.parquet'));
  });

  it('turns a failed import into a dialog and does not throw', async () => {
    const dialogs: DialogMessage[] = [];
    const opened: string[] = [];
    const result = await openPaths(
      { paths: [p('run.parquet')], problems: [] },
      {
        importPaths: () => Promise.reject(new Error('not a Parquet file: magic bytes missing')),
        showDialog: (m) => void dialogs.push(m),
        onOpened: (path) => void opened.push(path),
      },
    );
    expect(result.imported).toEqual([]);
    expect(opened).toEqual([]);
    expect(dialogs).toEqual([expect.objectContaining({ type: 'error', message: 'Importing run.parquet failed.' })]);
    expect(dialogs[0]!.detail).toMatch(/^not a Parquet file: magic bytes missing/);
  });

  it('does not remember paths whose import ran and failed (the window shows why), nor show a dialog', async () => {
    const dialogs: DialogMessage[] = [];
    const opened: string[] = [];
    const result = await openPaths(
      { paths: [p('run.parquet')], problems: [] },
      {
        importPaths: async () => ({ ok: false, files: [], imported: 0, elapsedMs: 1, error: 'The import was cancelled; nothing was imported.', cancelled: true }),
        showDialog: (m) => void dialogs.push(m),
        onOpened: (path) => void opened.push(path),
      },
    );
    expect(result.imported).toEqual([]);
    expect(opened).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('shows only the problems when nothing is importable', async () => {
    const dialogs: DialogMessage[] = [];
    let called = false;
    await openPaths({ paths: [p('empty')], problems: [] }, { importPaths: async () => void (called = true), showDialog: (m) => void dialogs.push(m), onOpened: () => undefined });
    expect(called).toBe(false);
    expect(dialogs.map((d) => d.message)).toEqual(['Tracedeck cannot open empty.']);
  });
});
