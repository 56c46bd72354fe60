// Playwright runs the renderer in Debian's Chromium (not a downloaded browser build) against
// `tracedeck serve`. TRACEDECK_CHROMIUM overrides the browser path.
import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';

function chromiumPath(): string | undefined {
  if (process.env.TRACEDECK_CHROMIUM) return process.env.TRACEDECK_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    trace: 'off',
  },
});
