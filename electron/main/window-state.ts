// The window's size and position between runs: window-state.json in userData. A saved position
// is only reused where a display still shows it (a laptop unplugged from its monitor must not
// open the window off-screen), and the size never exceeds that display's work area.
import { readFileSync } from 'node:fs';
import { writeFileAtomically } from './settings';

export const WINDOW_STATE_FILE_NAME = 'window-state.json';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS place the window (centred on the primary display). */
  bounds: Rect | null;
  width: number;
  height: number;
  maximized: boolean;
}

export interface WindowSizeLimits {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
}

export const WINDOW_SIZE: WindowSizeLimits = { width: 1400, height: 900, minWidth: 720, minHeight: 480 };

/** A saved window counts as visible when at least this much of it (px) lies on one display. */
const MIN_VISIBLE = { width: 120, height: 48 };

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Turns whatever was saved into bounds for the displays there are now (their work areas,
 * primary first). Bad or missing values give the default size, placed by the OS.
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Rect[], limits: WindowSizeLimits = WINDOW_SIZE): WindowState {
  const fallback = (maximized = false): WindowState => {
    const primary = workAreas[0];
    const width = primary ? Math.min(limits.width, Math.max(limits.minWidth, primary.width)) : limits.width;
    const height = primary ? Math.min(limits.height, Math.max(limits.minHeight, primary.height)) : limits.height;
    return { bounds: null, width, height, maximized };
  };
  if (typeof saved !== 'object' || saved === null) return fallback();
  const s = saved as Record<string, unknown>;
  const maximized = s.maximized === true;
  if (![s.x, s.y, s.width, s.height].every(isFiniteNumber)) return fallback(maximized);
  const rect: Rect = { x: Math.round(s.x as number), y: Math.round(s.y as number), width: Math.round(s.width as number), height: Math.round(s.height as number) };
  if (rect.width <= 0 || rect.height <= 0) return fallback(maximized);

  // The display that shows most of the window, if any shows enough of it.
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of workAreas) {
    const o = overlap(rect, area);
    if (o.width >= Math.min(MIN_VISIBLE.width, rect.width) && o.height >= Math.min(MIN_VISIBLE.height, rect.height) && o.width * o.height > bestArea) {
      best = area;
      bestArea = o.width * o.height;
    }
  }
  if (!best) return fallback(maximized);

  // Fit the size to that display, then move the window fully onto it.
  const width = Math.max(Math.min(rect.width, best.width), Math.min(limits.minWidth, best.width));
  const height = Math.max(Math.min(rect.height, best.height), Math.min(limits.minHeight, best.height));
  const x = Math.min(Math.max(rect.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(rect.y, best.y), best.y + best.height - height);
  return { bounds: { x, y, width, height }, width, height, maximized };
}

/** The file's content; null when there is none or it is not JSON (then the defaults apply). */
export function readWindowState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** `bounds` are the window's normal (not maximized) bounds, so un-maximizing restores them. */
export function writeWindowState(file: string, bounds: Rect, maximized: boolean): void {
  writeFileAtomically(file, `${JSON.stringify({ ...bounds, maximized }, null, 2)}\n`);
}
