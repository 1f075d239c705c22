import path from "node:path";
import { bundleBrowserScript } from "../board/bundle-browser-script";
import type { Router } from "../../shared/router";

// __dirname, not import.meta: Playwright's CommonJS loader refuses `import.meta`.
const SDK_ENTRY = path.join(__dirname, "client", "miro-sdk.ts");

/** Path of the SDK stand-in; the app loads it from MIRO_SDK_URL (e.g. http://localhost:3010/sdk/v2/miro.js). */
export const SDK_PATH = "/sdk/v2/miro.js";

export function loadSdkScript(): Promise<string> {
  return bundleBrowserScript(SDK_ENTRY);
}

/** Serves the stand-in for Miro's Web SDK script, in place of https://miro.com/app/static/sdk/v2/miro.js. */
export function mountSdk(router: Router) {
  // Bundle now, so the first page that loads the SDK doesn't wait for esbuild.
  loadSdkScript().catch((error) => console.error("[miro emulator] could not bundle the SDK stand-in:", error));
  router.get(SDK_PATH, async () => ({
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "no-store",
      // The app may load it with crossorigin="anonymous".
      "access-control-allow-origin": "*",
    },
    body: await loadSdkScript(),
  }));
}
