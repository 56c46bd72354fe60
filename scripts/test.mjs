#!/usr/bin/env node
// `npm test`: builds the app, runs the Node tests (vitest: unit + integration) and the browser
// tests (Playwright in Chromium against `tracedeck serve`), then prints one closing line:
// "N passed, N failed, N skipped". Exits non-zero if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

// Not test-results/: Playwright empties that folder (its outputDir) when it starts.
const results = '.test-reports';
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

function run(command, args, env = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let failedSteps = 0;
if (run('npx', ['electron-vite', 'build', '--config', 'electron.config.ts']) !== 0) {
  console.error('The build failed; the tests below need it.');
  failedSteps++;
}

const vitestJson = `${results}/vitest.json`;
const vitestCode = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);

const playwrightJson = `${results}/playwright.json`;
const playwrightCode = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A test file that failed to load has no tests counted: count it as a failure.
  failed += (v.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
} else if (vitestCode !== 0) {
  failedSteps++;
}
if (existsSync(playwrightJson)) {
  const p = JSON.parse(readFileSync(playwrightJson, 'utf8'));
  passed += p.stats.expected;
  failed += p.stats.unexpected + p.stats.flaky;
  skipped += p.stats.skipped;
  for (const error of p.errors ?? []) {
    console.error(`Playwright error: ${error.message ?? JSON.stringify(error)}`);
    failed++;
  }
} else if (playwrightCode !== 0) {
  failedSteps++;
}
failed += failedSteps;

console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || vitestCode !== 0 || playwrightCode !== 0 ? 1 : 0);
