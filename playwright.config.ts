import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";
import { E2E_PORTS, E2E_URLS } from "./tests/e2e/sandbox-urls";

/**
 * Browser tests run against the production build (`npm run build` first), inside the sandbox:
 * `scripts/sandbox.ts --production --fresh` starts the Miro and GitHub emulators and `next start`
 * on an empty database, on ports of their own (E2E_PORT, default 3100; the emulators at +10 and
 * +20). The browser is Playwright's own where installed, else Debian's Chromium; CHROMIUM_PATH
 * overrides both.
 */
const baseURL = E2E_URLS.app;

function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    // Playwright's managed browser, when `npx playwright install` could run.
    const { chromium } = require("@playwright/test") as typeof import("@playwright/test");
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {}
  return "/usr/bin/chromium";
}

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // Node itself runs the sandbox (no npx or tsx wrapper in between), so the SIGTERM below reaches
    // it and Playwright waits for its cleanup.
    command: "node --import tsx scripts/sandbox.ts --production --fresh",
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    // The sandbox stops the app and the emulators and removes its temporary database on SIGTERM.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(E2E_PORTS.app),
      MIRO_EMULATOR_PORT: String(E2E_PORTS.miro),
      GITHUB_EMULATOR_PORT: String(E2E_PORTS.github),
    },
  },
});
