// What the app tells the user outside the page: the title while the engine is not ready, and
// the dialogs for a data folder it cannot use, a crashing engine, a damaged settings file.
import { describe, expect, it } from 'vitest';
import { engineFailureDialog, settingsNotSavedDialog, settingsProblemsDialog, windowTitle } from '../../../electron/main/messages';

describe('windowTitle', () => {
  it('is plain when ready and says what is wrong otherwise', () => {
    expect(windowTitle({ state: 'ready' })).toBe('Tracedeck');
    expect(windowTitle({ state: 'starting' })).toBe('Tracedeck — starting…');
    expect(windowTitle({ state: 'restarting', message: 'x' })).toBe('Tracedeck — the engine stopped; restarting it…');
    expect(windowTitle({ state: 'failed', message: 'x' })).toBe('Tracedeck — the engine is not running');
  });
});

describe('engineFailureDialog', () => {
  const dataDirError = { state: 'failed' as const, message: 'The data folder /mnt/ro/Tracedeck cannot be created or written: EROFS: read-only file system' };

  it('offers another data folder when the folder cannot be written, or the default when a chosen one fails', () => {
    const d = engineFailureDialog(dataDirError, 'data-dir', '/mnt/ro/Tracedeck', { fromEnv: false, fromSettings: true });
    expect(d.message).toBe('Tracedeck cannot use its data folder.');
    expect(d.detail).toContain('EROFS: read-only file system');
    expect(d.buttons).toEqual(['Choose Another Folder…', 'Use Default Folder', 'Close']);
    expect(d.actions).toEqual(['choose-data-folder', 'use-default-data-folder', 'close']);
    const defaultFailing = engineFailureDialog(dataDirError, 'data-dir', '/mnt/ro/Tracedeck', { fromEnv: false, fromSettings: false });
    expect(defaultFailing.actions).toEqual(['choose-data-folder', 'close']);
    expect(defaultFailing.buttons).toEqual(['Choose Another Folder…', 'Close']);
  });

  it('points at TRACEDECK_DATA when that chose the folder (a settings change would not help)', () => {
    const d = engineFailureDialog(dataDirError, 'data-dir', '/mnt/ro/Tracedeck', { fromEnv: true, fromSettings: false });
    expect(d.detail).toMatch(/TRACEDECK_DATA environment variable/);
    expect(d.actions).toEqual(['close']);
  });

  it('offers a restart after a crash loop, and says stored traces are kept', () => {
    const d = engineFailureDialog({ state: 'failed', message: 'The engine stopped 4 times in a row' }, 'crashed', '/home/me/.config/Tracedeck', { fromEnv: false, fromSettings: false });
    expect(d.message).toBe('The Tracedeck engine is not running.');
    expect(d.detail).toMatch(/^The engine stopped 4 times in a row/);
    expect(d.detail).toMatch(/Traces already stored are kept/);
    expect(d.detail).toContain('/home/me/.config/Tracedeck');
    expect(d.actions).toEqual(['restart-engine', 'close']);
    expect(d.buttons).toHaveLength(d.actions.length);
  });
});

describe('settings dialogs', () => {
  it('lists the problems of a damaged settings file, or says nothing', () => {
    expect(settingsProblemsDialog([], '/s.json')).toBeNull();
    const d = settingsProblemsDialog(['Settings: "theme" must be one of system, light, dark; using "system".'], '/s.json')!;
    expect(d.type).toBe('warning');
    expect(d.detail).toContain('"theme" must be one of');
    expect(d.detail).toContain('/s.json');
  });

  it('explains a settings file that cannot be saved', () => {
    expect(settingsNotSavedDialog('/s.json', new Error('ENOSPC: no space left on device')).detail).toMatch(/^ENOSPC: no space left on device\n\nThe change applies until Tracedeck quits/);
  });
});
