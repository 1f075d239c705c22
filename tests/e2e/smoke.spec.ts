import { expect, test } from "@playwright/test";

test("the home page says what Cardbridge is and links the health check", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Cardbridge" })).toBeVisible();
  await expect(page.getByText("two-way sync with GitHub issues")).toBeVisible();
  await page.getByRole("link", { name: "/api/health" }).click();
  await expect(page.locator("body")).toContainText('"database":"up"');
});

test("the panel asks to be opened from a board when Miro's SDK is unreachable", async ({ page }) => {
  // Outside Miro the SDK script can't load (here: the request is cut): the panel says so plainly.
  await page.route("**/sdk/v2/miro.js", (route) => route.abort());
  await page.goto("/panel");
  await expect(page.getByText("Open Cardbridge from a Miro board")).toBeVisible();
});
