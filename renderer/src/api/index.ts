// The renderer's one door to the engine. In the desktop app the preload exposes
// `window.tracedeck` (exactly TraceApi, over IPC); in a browser (`tracedeck serve`) the same
// TraceApi goes over HTTP + SSE (./http.ts). Nothing outside this folder knows which.
import type { TraceApi } from '../../../shared/api';
import { createHttpApi } from './http';

let api: TraceApi | null = null;
let overHttp = false;

export function getApi(): TraceApi {
  // `window.tracedeck` (declared in env.d.ts), read through globalThis so that the stores also
  // load in unit tests under node, where there is no window.
  if (!api) {
    const bridge = (globalThis as { tracedeck?: TraceApi }).tracedeck;
    overHttp = !bridge;
    api = bridge ?? createHttpApi();
  }
  return api;
}

/**
 * True when the API is the HTTP one, which a Web Worker can call by itself (workers/): the IPC
 * bridge of the desktop app exists only in the page, and a test's fake only in its own module.
 */
export function apiReachableFromWorkers(): boolean {
  getApi();
  return overHttp;
}

/** Replaces the API, for tests that drive the stores with a fake engine. */
export function setApiForTesting(fake: TraceApi | null): void {
  api = fake;
  overHttp = false;
}
