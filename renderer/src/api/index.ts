// The renderer's one door to the engine. In the desktop app the preload exposes
// `window.tracedeck` (exactly TraceApi, over IPC); in a browser (`tracedeck serve`) the same
// TraceApi goes over HTTP + SSE (./http.ts). Nothing outside this folder knows which.
import type { TraceApi } from '../../../shared/api';
import { createHttpApi } from './http';

let api: TraceApi | null = null;

export function getApi(): TraceApi {
  // `window.tracedeck` (declared in env.d.ts), read through globalThis so that the stores also
  // load in unit tests under node, where there is no window.
  api ??= (globalThis as { tracedeck?: TraceApi }).tracedeck ?? createHttpApi();
  return api;
}

/** Replaces the API, for tests that drive the stores with a fake engine. */
export function setApiForTesting(fake: TraceApi | null): void {
  api = fake;
}
