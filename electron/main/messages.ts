// What the desktop app says to the user outside the page: the window title while the engine is
// not ready, and the native dialogs for engine failures and a damaged settings file. Pure, so
// tests read the wording; index.ts shows them.
import type { EngineStatus } from '../../shared/model';
import type { EngineFailure } from './engine-host';
import type { DialogMessage } from './open-paths';

/** The title says what the page may not be able to: that the engine is not answering. */
export function windowTitle(status: EngineStatus): string {
  switch (status.state) {
    case 'ready':
      return 'Tracedeck';
    case 'starting':
      return 'Tracedeck — starting…';
    case 'restarting':
      return 'Tracedeck — the engine stopped; restarting it…';
    case 'failed':
      return 'Tracedeck — the engine is not running';
  }
}

export interface EngineFailureDialog extends DialogMessage {
  buttons: string[];
  /** What each button does, by index. */
  actions: ('choose-data-folder' | 'use-default-data-folder' | 'restart-engine' | 'close')[];
}

/**
 * The dialog for an engine that is not running. A data folder that cannot be written is the
 * user's to fix, so it offers another folder; a crash loop offers a restart.
 */
export function engineFailureDialog(
  status: EngineStatus,
  failure: EngineFailure | undefined,
  dataDir: string,
  where: { fromEnv: boolean; fromSettings: boolean },
): EngineFailureDialog {
  const reason = status.message ?? 'The engine stopped.';
  if (failure === 'data-dir') {
    if (where.fromEnv) {
      return {
        type: 'error',
        title: 'Tracedeck',
        message: 'Tracedeck cannot use its data folder.',
        detail: `${reason}\n\nThe folder comes from the TRACEDECK_DATA environment variable; change or unset it and start Tracedeck again. The window stays open, without stored traces.`,
        buttons: ['Close'],
        actions: ['close'],
      };
    }
    // Going back to the default only helps when a chosen folder is the one failing.
    return where.fromSettings
      ? {
          type: 'error',
          title: 'Tracedeck',
          message: 'Tracedeck cannot use its data folder.',
          detail: `${reason}\n\nChoose a folder Tracedeck can write to, or go back to the default one.`,
          buttons: ['Choose Another Folder…', 'Use Default Folder', 'Close'],
          actions: ['choose-data-folder', 'use-default-data-folder', 'close'],
        }
      : {
          type: 'error',
          title: 'Tracedeck',
          message: 'Tracedeck cannot use its data folder.',
          detail: `${reason}\n\nChoose a folder Tracedeck can write to. The window stays open meanwhile, without stored traces.`,
          buttons: ['Choose Another Folder…', 'Close'],
          actions: ['choose-data-folder', 'close'],
        };
  }
  return {
    type: 'error',
    title: 'Tracedeck',
    message: 'The Tracedeck engine is not running.',
    detail: `${reason}\n\nData folder: ${dataDir}\nTraces already stored are kept. You can try again now, or later with File › Restart Engine.`,
    buttons: ['Restart Engine', 'Close'],
    actions: ['restart-engine', 'close'],
  };
}

export function settingsProblemsDialog(problems: readonly string[], settingsFile: string): DialogMessage | null {
  if (problems.length === 0) return null;
  return {
    type: 'warning',
    title: 'Tracedeck',
    message: 'Some settings could not be used; their defaults apply.',
    detail: `${problems.join('\n')}\n\nSettings file: ${settingsFile}`,
  };
}

export function settingsNotSavedDialog(settingsFile: string, error: unknown): DialogMessage {
  return {
    type: 'warning',
    title: 'Tracedeck',
    message: 'Tracedeck could not save its settings.',
    detail: `${error instanceof Error ? error.message : String(error)}\n\nThe change applies until Tracedeck quits. Settings file: ${settingsFile}`,
  };
}
