import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests run against the production build (`npm run build` first). The browser is
 * Playwright's own where installed, else Debian's Chromium; CHROMIUM_PATH overrides both.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${port}`;

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
    command: `npx next start -p ${port}`,
    url: `${baseURL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NEXT_TELEMETRY_DISABLED: "1",
      APP_URL: baseURL,
      PGLITE_DIR: path.join(mkdtempSync(path.join(tmpdir(), "cardbridge-e2e-")), "pglite"),
      MIRO_CLIENT_ID: "3458764500000000001",
      MIRO_CLIENT_SECRET: "e2e-miro-client-secret",
      GITHUB_CLIENT_ID: "Iv1.e2eclientid",
      GITHUB_CLIENT_SECRET: "e2e-github-client-secret",
      GITHUB_WEBHOOK_SECRET: "e2e-github-webhook-secret",
      TOKEN_ENCRYPTION_KEYS: `e2e:${Buffer.alloc(32, 3).toString("base64")}`,
      NEXTAUTH_SECRET: "e2e-nextauth-secret-at-least-32-characters",
      CRON_SECRET: "e2e-cron-secret-value",
      DATABASE_URL: "",
    },
  },
});
