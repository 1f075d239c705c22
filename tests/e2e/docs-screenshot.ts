import type { Page } from "@playwright/test";

/**
 * The README's screenshots come from the journeys themselves, so they show what the app really
 * does. They are rewritten only when asked (`SCREENSHOTS=1 npm run test:e2e`): a test run doesn't
 * change tracked files.
 */
export async function docsScreenshot(page: Page, name: string) {
  if (process.env.SCREENSHOTS !== "1") return;
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}
