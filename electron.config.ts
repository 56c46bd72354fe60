// electron-vite: one build for the desktop app's three parts and the plain-Node entry points.
//   main     electron/main (the Electron app), plus the engine and ingest workers and the CLI, which never
//            import 'electron' and run under plain Node as well (`tracedeck serve`, `query`, ...)
//   preload  electron/preload, CommonJS: a sandboxed preload cannot be an ES module
//   renderer renderer/ (React), the same bundle the serve mode hands to a browser
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'engine-worker': resolve('electron/server/worker.ts'),
          'ingest-worker': resolve('electron/engine/ingest-worker.ts'),
          cli: resolve('electron/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    // The trace-layout worker (renderer/src/workers) is a module worker: bundled as ES, its own file.
    worker: { format: 'es' },
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
