#!/usr/bin/env node
// `npm run bench [name]`: runs bench/<name>.bench.ts (all of them without a name) with tsx.
// Benchmarks print their figures and the ratio to a baseline measured in the same run; they
// are not tests and do not run in CI (these machines are shared and noisy).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const wanted = process.argv[2];
const all = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''));
const names = wanted ? [wanted] : all;
if (wanted && !all.includes(wanted)) {
  console.error(`No benchmark "${wanted}". Available: ${all.join(', ') || '(none yet)'}`);
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  console.log(`\n=== bench: ${name}`);
  const r = spawnSync('npx', ['tsx', `bench/${name}.bench.ts`, ...process.argv.slice(3)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
