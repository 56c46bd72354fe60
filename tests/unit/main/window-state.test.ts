// Window size and position between runs, fitted to the displays there are now.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWindowState, restoreWindowState, WINDOW_SIZE, writeWindowState, type Rect } from '../../../electron/main/window-state';
import { tempDir } from '../../helpers/rows';

// Work areas: a laptop screen (menu bar 25 px) and a monitor to its right.
const LAPTOP: Rect = { x: 0, y: 25, width: 1440, height: 875 };
const MONITOR: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restoreWindowState', () => {
  it('keeps a window that is on a display where it was', () => {
    expect(restoreWindowState({ x: 100, y: 80, width: 1200, height: 700, maximized: false }, [LAPTOP, MONITOR])).toEqual({
      bounds: { x: 100, y: 80, width: 1200, height: 700 },
      width: 1200,
      height: 700,
      maximized: false,
    });
    expect(restoreWindowState({ x: 2000, y: 100, width: 1600, height: 1000, maximized: true }, [LAPTOP, MONITOR])).toMatchObject({
      bounds: { x: 2000, y: 100, width: 1600, height: 1000 },
      maximized: true,
    });
  });

  it('lets the OS place the default size when the display it was on is gone', () => {
    // Saved on the monitor, which is unplugged now.
    expect(restoreWindowState({ x: 2000, y: 100, width: 1600, height: 1000, maximized: false }, [LAPTOP])).toEqual({
      bounds: null,
      width: WINDOW_SIZE.width,
      height: Math.min(WINDOW_SIZE.height, LAPTOP.height),
      maximized: false,
    });
  });

  it('treats a sliver at the edge as gone (too little to grab)', () => {
    expect(restoreWindowState({ x: 1400, y: 100, width: 800, height: 600 }, [LAPTOP]).bounds).toBeNull();
  });

  it('moves a window that hangs off the edge back onto its display, and shrinks one that is too big', () => {
    expect(restoreWindowState({ x: 1000, y: -40, width: 800, height: 600 }, [LAPTOP]).bounds).toEqual({ x: 640, y: 25, width: 800, height: 600 });
    expect(restoreWindowState({ x: 10, y: 30, width: 3000, height: 2000 }, [LAPTOP]).bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
  });

  it('puts a window spanning two displays on the one showing most of it', () => {
    const state = restoreWindowState({ x: 1000, y: 100, width: 1400, height: 800 }, [LAPTOP, MONITOR]);
    expect(state.bounds).toEqual({ x: 1440, y: 100, width: 1400, height: 800 });
  });

  it('never goes below the minimum size where the display allows it', () => {
    expect(restoreWindowState({ x: 10, y: 30, width: 200, height: 100 }, [LAPTOP]).bounds).toEqual({
      x: 10,
      y: 30,
      width: WINDOW_SIZE.minWidth,
      height: WINDOW_SIZE.minHeight,
    });
  });

  it.each([null, 'x', 42, {}, { x: 'a', y: 1, width: 2, height: 3 }, { x: NaN, y: 0, width: 800, height: 600 }, { x: 0, y: 0, width: -5, height: 600 }, { x: 0, y: 0, width: Infinity, height: 600 }])(
    'falls back to the defaults for %j',
    (saved) => {
      expect(restoreWindowState(saved, [LAPTOP]).bounds).toBeNull();
    },
  );

  it('works with no display information at all', () => {
    expect(restoreWindowState(null, [])).toEqual({ bounds: null, width: WINDOW_SIZE.width, height: WINDOW_SIZE.height, maximized: false });
  });
});

describe('the window-state file', () => {
  it('round-trips, and a missing or damaged file reads as nothing', () => {
    const dir = tempDir('tracedeck-window-');
    try {
      const file = join(dir.path, 'window-state.json');
      expect(readWindowState(file)).toBeNull();
      writeWindowState(file, { x: 5, y: 6, width: 900, height: 700 }, true);
      expect(readWindowState(file)).toEqual({ x: 5, y: 6, width: 900, height: 700, maximized: true });
      expect(restoreWindowState(readWindowState(file), [LAPTOP])).toMatchObject({ bounds: { x: 5, y: 25, width: 900, height: 700 }, maximized: true });
      expect(readdirSync(dir.path)).toEqual(['window-state.json']);
    } finally {
      dir.remove();
    }
  });
});
