#!/usr/bin/env node
// The `tracedeck` command: runs the built CLI (npm run build writes out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('tracedeck: the app is not built yet. Run `npm run build` first.');
  process.exit(1);
}
const { main } = await import(cli);
const code = await main(process.argv.slice(2));
// Exit once stdout has drained (a pipe is written asynchronously), even if a library left a
// handle open.
process.stdout.write('', () => process.exit(code));
