import { expect, type FrameLocator, type Page, test } from "@playwright/test";
import { SEED } from "../emulators/miro/seed";
import { docsScreenshot } from "./docs-screenshot";
import { E2E_URLS } from "./sandbox-urls";

/**
 * Install and accounts, as a person does it on the sandbox board: install Cardbridge, open its
 * panel, connect GitHub in the sign-in popup, see the GitHub login, disconnect.
 */

// One sandbox (fresh database) per run, files in name order: these journeys run first, build on
// each other, and expect Alice and Bob not yet installed.
test.describe.configure({ mode: "serial" });

const boardUrl = (userId: string) => `${E2E_URLS.miro}/board/${encodeURIComponent(SEED.sprintBoard.id)}?user=${userId}`;

async function openPanel(page: Page, userId: string): Promise<FrameLocator> {
  await page.goto(boardUrl(userId));
  await expect(page.locator("body")).toHaveAttribute("data-board-ready", "true");
  await expect(page.locator("body")).toHaveAttribute("data-app-events", /icon:click/);
  await page.getByRole("navigation", { name: "Tools" }).getByRole("button", { name: "Cardbridge" }).click();
  return page.frameLocator('iframe[title="Cardbridge panel"]');
}

test("install from the board, connect GitHub in a popup, then disconnect", async ({ page, context }) => {
  // Before installing, the panel says so and offers to install.
  let panel = await openPanel(page, SEED.alice.id);
  await expect(panel.getByTestId("miro-user")).toContainText(SEED.alice.name);
  await expect(panel.getByText("isn't installed for you on this team")).toBeVisible();

  // Miro's install: the SDK-authorization redirect through our callback and back to Miro.
  await page.getByRole("button", { name: "Install app" }).click();
  await expect(page).toHaveURL(/\/app-install-completed\/\?client_id=\d+&team_id=\d+/);

  panel = await openPanel(page, SEED.alice.id);
  const connect = panel.getByRole("button", { name: "Connect GitHub" });
  await expect(connect).toBeVisible();

  // GitHub's sign-in in a top-level popup (state + PKCE through next-auth).
  const [popup] = await Promise.all([context.waitForEvent("page"), connect.click()]);
  await popup.waitForURL(/\/login\/oauth\/authorize\?/);
  const authorize = new URL(popup.url());
  expect(authorize.searchParams.get("state")).toBeTruthy();
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  await popup.getByRole("button", { name: "Continue as octocat" }).click();
  await expect(popup.getByRole("status")).toContainText("Signed in as @octocat");

  await expect(panel.getByTestId("github-login")).toContainText("@octocat");
  await docsScreenshot(page, "panel-github-connected");

  await panel.getByRole("button", { name: "Disconnect GitHub" }).click();
  await expect(panel.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
  await expect(panel.getByTestId("github-login")).toHaveCount(0);
});

test("a second user installs from the panel itself, through Miro's authorize page", async ({ page, context }) => {
  const panel = await openPanel(page, SEED.bob.id);
  const install = panel.getByRole("button", { name: "Install Cardbridge" });
  await expect(install).toBeVisible();
  const [popup] = await Promise.all([context.waitForEvent("page"), install.click()]);
  await popup.waitForURL(/\/oauth\/authorize\?/);
  await popup.getByRole("button", { name: `Allow as ${SEED.bob.name} on ${SEED.team.name}` }).click();
  await popup.waitForURL(/\/app-install-completed\//);
  await popup.close();
  // The panel notices the popup closed and shows the connected state.
  await expect(panel.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
});

test("a GitHub sign-in link can't be used twice", async ({ page, context }) => {
  const panel = await openPanel(page, SEED.alice.id);
  const connect = panel.getByRole("button", { name: "Connect GitHub" });
  await expect(connect).toBeVisible();
  const [popup, ticketResponse] = await Promise.all([
    context.waitForEvent("page"),
    page.waitForResponse((response) => response.url().endsWith("/api/github/link-tickets")),
    connect.click(),
  ]);
  const { url: popupLink } = (await ticketResponse.json()) as { url: string };
  await popup.waitForURL(/\/login\/oauth\/authorize\?/);
  await popup.getByRole("button", { name: "Continue as hubot" }).click();
  await expect(popup.getByRole("status")).toContainText("@hubot");
  await expect(panel.getByTestId("github-login")).toContainText("@hubot");

  // The same link again (a replay, or someone else who saw it): refused, with a way forward.
  const replay = await context.newPage();
  await replay.goto(popupLink);
  await expect(replay.getByRole("heading", { name: "GitHub was not connected" })).toBeVisible();
  await expect(replay.getByText("expired or was already used")).toBeVisible();
});

test("a sign-in link opened outside the panel links nothing", async ({ page, context }) => {
  // Someone's popup link, opened in another window (say, sent to a colleague): GitHub signs in,
  // but with no panel to finish the link, nothing is connected to the link's owner.
  const panel = await openPanel(page, SEED.bob.id);
  await expect(panel.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
  const minted = await panel
    .locator("body")
    .evaluate(async () => {
      const token = await miro.board.getIdToken();
      const response = await fetch("/api/github/link-tickets", { method: "POST", headers: { authorization: `Bearer ${token}` } });
      return (await response.json()) as { url: string };
    });
  const elsewhere = await context.newPage();
  await elsewhere.goto(minted.url);
  await elsewhere.waitForURL(/\/login\/oauth\/authorize\?/);
  await elsewhere.getByRole("button", { name: "Continue as monalisa" }).click();
  await expect(elsewhere.getByText("so nothing was linked")).toBeVisible();
  await page.reload();
  const reopened = await openPanel(page, SEED.bob.id);
  await expect(reopened.getByRole("button", { name: "Connect GitHub" })).toBeVisible();
});
