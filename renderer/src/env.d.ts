import type { TraceApi } from '../../shared/api';

declare global {
  interface Window {
    /** Present in the desktop app (exposed by electron/preload); absent in a browser. */
    tracedeck?: TraceApi;
  }
}
