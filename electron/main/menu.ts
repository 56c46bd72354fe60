// The application menu as data: `buildMenuTemplate` returns the template that main hands to
// Menu.buildFromTemplate, so tests can check items, shortcuts and what each one does without
// Electron. Items whose work is the window's (Export…, Settings…) send a MenuCommand to it.
import { basename } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, Theme } from '../../shared/desktop';
import { DOCUMENTATION_URL } from './security';

export const OTLP_EXPORTER_DOCS_URL = 'https://opentelemetry.io/docs/specs/otel/protocol/exporter/';

export interface MenuContext {
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools only in development builds. */
  isPackaged: boolean;
  recentPaths: readonly string[];
  theme: Theme;
}

export interface MenuActions {
  open(): void;
  openFolder(): void;
  openRecent(path: string): void;
  clearRecent(): void;
  /** Work the window does (Export…, Settings…): sent over IPC_MENU_CHANNEL. */
  send(command: MenuCommand): void;
  setTheme(theme: Theme): void;
  chooseDataFolder(): void;
  choosePriceOverrides(): void;
  restartEngine(): void;
  showDataFolder(): void;
  showAbout(): void;
  openExternal(url: string): void;
}

const THEME_LABELS: Record<Theme, string> = { system: 'Match System', light: 'Light', dark: 'Dark' };

export function buildMenuTemplate(context: MenuContext, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = context.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const settingsItem: MenuItemConstructorOptions = {
    label: 'Settings…',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.send({ command: 'settings' }),
  };

  const recent: MenuItemConstructorOptions[] =
    context.recentPaths.length === 0
      ? [{ label: 'No Recent Items', enabled: false }]
      : [
          // The label shows the name, the tooltip-less menu needs the folder too when names repeat.
          ...context.recentPaths.map((path) => ({ label: recentLabel(path, context.recentPaths), click: () => actions.openRecent(path) })),
          separator,
          { label: 'Clear Recent', click: () => actions.clearRecent() },
        ];

  const appMenu: MenuItemConstructorOptions = {
    label: context.appName,
    submenu: [
      { role: 'about' },
      separator,
      settingsItem,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit' },
    ],
  };

  const fileMenu: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => actions.open() },
      { label: 'Open Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.openFolder() },
      { label: 'Open Recent', submenu: recent },
      separator,
      { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => actions.send({ command: 'export' }) },
      separator,
      ...(mac ? [] : [settingsItem]),
      { label: 'Data Folder…', click: () => actions.chooseDataFolder() },
      { label: 'Price Overrides…', click: () => actions.choosePriceOverrides() },
      { label: 'Restart Engine', click: () => actions.restartEngine() },
      separator,
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    ],
  };

  const editMenu: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
  };

  const viewMenu: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(context.isPackaged ? [] : [{ role: 'toggleDevTools' } as MenuItemConstructorOptions]),
      separator,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      {
        label: 'Theme',
        submenu: (Object.keys(THEME_LABELS) as Theme[]).map((theme) => ({
          label: THEME_LABELS[theme],
          type: 'radio' as const,
          checked: context.theme === theme,
          click: () => actions.setTheme(theme),
        })),
      },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const helpMenu: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      { label: 'Tracedeck Documentation', click: () => actions.openExternal(DOCUMENTATION_URL) },
      { label: 'Sending Traces (OpenTelemetry Exporter Settings)', click: () => actions.openExternal(OTLP_EXPORTER_DOCS_URL) },
      separator,
      { label: 'Show Data Folder', click: () => actions.showDataFolder() },
      ...(mac ? [] : [separator, { label: `About ${context.appName}`, click: () => actions.showAbout() }]),
    ],
  };

  return [...(mac ? [appMenu] : []), fileMenu, editMenu, viewMenu, ...(mac ? [{ role: 'windowMenu' } as MenuItemConstructorOptions] : []), helpMenu];
}

/** The file name, with its folder when two recent items share a name. */
export function recentLabel(path: string, all: readonly string[]): string {
  const name = basename(path);
  const clash = all.filter((p) => basename(p) === name).length > 1;
  // `&` marks an access key in Windows and Linux menus; double it to show a literal one.
  const label = clash ? `${name} — ${path}` : name;
  return label.replaceAll('&', '&&');
}
