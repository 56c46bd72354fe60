// The application menu as data: the items the issue asks for, on each platform, and what
// clicking each one does.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, recentLabel, type MenuActions, type MenuContext } from '../../../electron/main/menu';
import { DOCUMENTATION_URL, isAllowedExternalUrl } from '../../../electron/main/security';

function recorder(): { actions: MenuActions; log: unknown[][] } {
  const log: unknown[][] = [];
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void log.push([name, ...args]);
  const actions: MenuActions = {
    open: record('open'),
    openFolder: record('openFolder'),
    openRecent: record('openRecent'),
    clearRecent: record('clearRecent'),
    send: record('send'),
    setTheme: record('setTheme'),
    chooseDataFolder: record('chooseDataFolder'),
    choosePriceOverrides: record('choosePriceOverrides'),
    restartEngine: record('restartEngine'),
    showDataFolder: record('showDataFolder'),
    showAbout: record('showAbout'),
    openExternal: record('openExternal'),
  };
  return { actions, log };
}

const context = (overrides: Partial<MenuContext> = {}): MenuContext => ({
  platform: 'linux',
  appName: 'Tracedeck',
  isPackaged: true,
  recentPaths: [],
  theme: 'system',
  ...overrides,
});

const submenu = (item: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const labels = (items: MenuItemConstructorOptions[]) => items.filter((i) => i.type !== 'separator').map((i) => i.label ?? i.role);
const find = (menu: MenuItemConstructorOptions[], label: string) => {
  const item = menu.find((i) => i.label === label || i.label === `&${label}`);
  if (!item) throw new Error(`no item "${label}" in ${JSON.stringify(labels(menu))}`);
  return item;
};
const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

describe('the application menu', () => {
  it('has File, Edit, View and Help on Windows and Linux', () => {
    const template = buildMenuTemplate(context(), recorder().actions);
    expect(labels(template)).toEqual(['&File', '&Edit', '&View', '&Help']);
    expect(labels(submenu(template[0]))).toEqual(['Open…', 'Open Folder…', 'Open Recent', 'Export…', 'Settings…', 'Data Folder…', 'Price Overrides…', 'Restart Engine', 'Quit']);
    expect(labels(submenu(template[1]))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
    expect(labels(submenu(template[2]))).toEqual(['reload', 'resetZoom', 'zoomIn', 'zoomOut', 'Theme', 'togglefullscreen']);
    expect(labels(submenu(template[3]))).toEqual(['Tracedeck Documentation', 'Sending Traces (OpenTelemetry Exporter Settings)', 'Show Data Folder', 'About Tracedeck']);
    expect(find(submenu(template[0]), 'Quit')).toMatchObject({ role: 'quit', accelerator: 'Ctrl+Q' });
  });

  it('follows macOS conventions: an app menu with About, Settings and Quit, and a Window menu', () => {
    const template = buildMenuTemplate(context({ platform: 'darwin' }), recorder().actions);
    expect(labels(template)).toEqual(['Tracedeck', '&File', '&Edit', '&View', 'windowMenu', '&Help']);
    expect(labels(submenu(template[0]))).toEqual(['about', 'Settings…', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    const file = labels(submenu(template[1]));
    expect(file).not.toContain('Settings…');
    expect(file).not.toContain('Quit');
    expect(file.at(-1)).toBe('close');
    expect(labels(submenu(template[5]))).not.toContain('About Tracedeck');
  });

  it('offers developer tools only in development', () => {
    const view = (isPackaged: boolean) => labels(submenu(buildMenuTemplate(context({ isPackaged }), recorder().actions)[2]));
    expect(view(false)).toContain('toggleDevTools');
    expect(view(true)).not.toContain('toggleDevTools');
  });

  it('does what each item says', () => {
    const { actions, log } = recorder();
    const template = buildMenuTemplate(context({ recentPaths: ['/d/a.parquet', '/d/traces'] }), actions);
    const file = submenu(template[0]);
    click(find(file, 'Open…'));
    click(find(file, 'Open Folder…'));
    const recent = submenu(find(file, 'Open Recent'));
    expect(labels(recent)).toEqual(['a.parquet', 'traces', 'Clear Recent']);
    click(recent[0]!);
    click(find(recent, 'Clear Recent'));
    click(find(file, 'Export…'));
    click(find(file, 'Settings…'));
    click(find(file, 'Data Folder…'));
    click(find(file, 'Price Overrides…'));
    click(find(file, 'Restart Engine'));
    const themes = submenu(find(submenu(template[2]), 'Theme'));
    click(find(themes, 'Dark'));
    const help = submenu(template[3]);
    click(find(help, 'Tracedeck Documentation'));
    click(find(help, 'Show Data Folder'));
    click(find(help, 'About Tracedeck'));
    expect(log).toEqual([
      ['open'],
      ['openFolder'],
      ['openRecent', '/d/a.parquet'],
      ['clearRecent'],
      ['send', { command: 'export' }],
      ['send', { command: 'settings' }],
      ['chooseDataFolder'],
      ['choosePriceOverrides'],
      ['restartEngine'],
      ['setTheme', 'dark'],
      ['openExternal', DOCUMENTATION_URL],
      ['showDataFolder'],
      ['showAbout'],
    ]);
  });

  it('has shortcuts for the common file actions', () => {
    const file = submenu(buildMenuTemplate(context(), recorder().actions)[0]);
    expect(find(file, 'Open…').accelerator).toBe('CmdOrCtrl+O');
    expect(find(file, 'Open Folder…').accelerator).toBe('CmdOrCtrl+Shift+O');
    expect(find(file, 'Export…').accelerator).toBe('CmdOrCtrl+E');
    expect(find(file, 'Settings…').accelerator).toBe('CmdOrCtrl+,');
  });

  it('shows an empty Open Recent as disabled', () => {
    const recent = submenu(find(submenu(buildMenuTemplate(context(), recorder().actions)[0]), 'Open Recent'));
    expect(recent).toEqual([{ label: 'No Recent Items', enabled: false }]);
  });

  it('checks the current theme', () => {
    const themes = submenu(find(submenu(buildMenuTemplate(context({ theme: 'light' }), recorder().actions)[2]), 'Theme'));
    expect(themes.map((t) => [t.label, t.type, t.checked])).toEqual([
      ['Match System', 'radio', false],
      ['Light', 'radio', true],
      ['Dark', 'radio', false],
    ]);
  });

  it('only links to pages on the outside-link allow-list', () => {
    const { actions, log } = recorder();
    const help = submenu(buildMenuTemplate(context(), actions)[3]);
    for (const item of help) if (item.click) click(item);
    const urls = log.filter((l) => l[0] === 'openExternal').map((l) => l[1] as string);
    expect(urls).toHaveLength(2);
    for (const url of urls) expect(isAllowedExternalUrl(url)).toBe(true);
  });
});

describe('recentLabel', () => {
  it('shows the name, with the folder when names repeat, and escapes &', () => {
    expect(recentLabel('/a/run.parquet', ['/a/run.parquet', '/b/other.parquet'])).toBe('run.parquet');
    expect(recentLabel('/a/run.parquet', ['/a/run.parquet', '/b/run.parquet'])).toBe('run.parquet — /a/run.parquet');
    expect(recentLabel('/a/R&D.parquet', ['/a/R&D.parquet'])).toBe('R&&D.parquet');
  });
});
