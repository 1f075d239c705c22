import { type APIRequestContext, expect, type Frame, type Page, test } from "@playwright/test";
import { jwtVerify } from "jose";
import { SANDBOX_CREDENTIALS } from "../../scripts/sandbox-credentials";
import { SEED } from "../emulators/miro/seed";
import { docsScreenshot } from "./docs-screenshot";
import { E2E_URLS } from "./sandbox-urls";

/**
 * Journeys through the sandbox board (the Miro emulator's /board), with Cardbridge framed in it
 * the way Miro frames it: the headless page always loaded, the panel opened from the app icon,
 * and `window.miro` given to both by the SDK stand-in.
 */

const board = SEED.sprintBoard;
const boardUrl = `${E2E_URLS.miro}/board/${encodeURIComponent(board.id)}`;

/** Opens the board as someone and waits until it is drawn and the app listens for its icon. */
async function openBoard(page: Page, userId: string = SEED.alice.id) {
  await page.goto(`${boardUrl}?user=${userId}`);
  await expect(page.locator("body")).toHaveAttribute("data-board-ready", "true");
  await expect(page.locator("body")).toHaveAttribute("data-app-events", /icon:click/);
}

async function openPanel(page: Page): Promise<Frame> {
  await page.getByRole("navigation", { name: "Tools" }).getByRole("button", { name: "Cardbridge" }).click();
  const panel = page.frameLocator('iframe[title="Cardbridge panel"]');
  await expect(panel.getByTestId("miro-user")).toBeVisible();
  const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname === "/panel");
  if (!frame) throw new Error("the panel's frame is not on the page");
  return frame;
}

/** What the panel's `miro.board.getIdToken()` answers, checked as the app's backend checks it. */
async function verifiedIdToken(panel: Frame) {
  const token = await panel.evaluate(() => miro.board.getIdToken());
  const { payload } = await jwtVerify(token, new TextEncoder().encode(SANDBOX_CREDENTIALS.miroClientSecret), {
    algorithms: ["HS256"],
    issuer: "miro",
    subject: SANDBOX_CREDENTIALS.miroClientId,
  });
  return payload;
}

/** A Miro REST token for the app, got the way the app gets one: install redirect, then code exchange. */
async function miroRestToken(request: APIRequestContext, userId: string = SEED.alice.id): Promise<string> {
  const install = await request.get(`${E2E_URLS.miro}/board/install`, {
    params: { boardId: board.id, userId },
    maxRedirects: 0,
  });
  expect(install.status()).toBe(302);
  const code = new URL(install.headers().location!).searchParams.get("code")!;
  const exchange = await request.post(`${E2E_URLS.miro}/v1/oauth/token`, {
    form: {
      grant_type: "authorization_code",
      code,
      client_id: SANDBOX_CREDENTIALS.miroClientId,
      client_secret: SANDBOX_CREDENTIALS.miroClientSecret,
      redirect_uri: `${E2E_URLS.app}/api/miro/oauth/callback`,
    },
  });
  expect(exchange.ok()).toBe(true);
  return ((await exchange.json()) as { access_token: string }).access_token;
}

const green = { fillColor: "#dafbe1", textColor: "#1a7f37" };

/** Cards as Cardbridge's projection draws issues (state, repository#number, assignee, labels, milestone). */
const CARDS = [
  {
    data: {
      title: "Login fails on Safari 17",
      description: "<p>Submitting the form on <strong>Safari 17</strong> reloads the page instead of signing in.</p>",
      status: "connected",
      fields: [
        { value: "Open", ...green, tooltip: "State" },
        { value: "acme/web#12", tooltip: "Issue" },
        { value: "@octocat", tooltip: "Assignee" },
        { value: "bug", fillColor: "#d73a4a", textColor: "#ffffff", tooltip: "Label" },
        { value: "v2.1", tooltip: "Milestone" },
      ],
    },
    style: { fillColor: "#1a7f37" },
    position: { x: -200, y: -10 },
  },
  {
    data: {
      title: "Dark mode for the panel",
      description: "<p>Follow the board's theme in the side panel and the editor.</p>",
      status: "connected",
      fields: [
        { value: "Open", ...green, tooltip: "State" },
        { value: "acme/web#15", tooltip: "Issue" },
        { value: "enhancement", fillColor: "#a2eeef", textColor: "#050038", tooltip: "Label" },
        { value: "design", fillColor: "#f9d0c4", textColor: "#050038", tooltip: "Label" },
      ],
    },
    style: { fillColor: "#1a7f37" },
    position: { x: 200, y: -10 },
  },
  {
    data: {
      title: "Export the roadmap as CSV",
      description: "<p>Done in #41.</p>",
      status: "connected",
      fields: [
        { value: "Closed – completed", fillColor: "#fbefff", textColor: "#8250df", tooltip: "State" },
        { value: "acme/roadmap#3", tooltip: "Issue" },
      ],
    },
    style: { fillColor: "#8250df" },
    position: { x: -200, y: 170 },
  },
  {
    data: { title: "Flaky checkout test", description: "<p>Not linked to an issue yet.</p>", status: "disconnected" },
    style: { fillColor: "#2d9bf0" },
    position: { x: 200, y: 170 },
  },
];

test("the app icon opens Cardbridge's panel, which the board tells who is there, with a signed id token", async ({
  page,
}) => {
  await openBoard(page);
  const panel = await openPanel(page);
  await expect(page.frameLocator('iframe[title="Cardbridge panel"]').getByTestId("miro-user")).toHaveText(
    `Signed in to Miro as ${SEED.alice.name}`,
  );
  await expect(page.frameLocator('iframe[title="Cardbridge panel"]').getByTestId("id-token-ok")).toBeAttached();

  expect(await panel.evaluate(() => miro.board.getUserInfo())).toEqual({ id: SEED.alice.id, name: SEED.alice.name });
  const claims = await verifiedIdToken(panel);
  expect(claims).toMatchObject({ user: SEED.alice.id, team: SEED.team.id, sub: SANDBOX_CREDENTIALS.miroClientId });
  expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(300);

  await page.getByRole("button", { name: "Close panel" }).click();
  await expect(page.locator('iframe[title="Cardbridge panel"]')).toHaveCount(0);
});

test("acting as another board member: the panel and the id token follow", async ({ page }) => {
  await openBoard(page);
  await page.getByLabel("Acting as").selectOption({ label: SEED.bob.name });
  await expect(page).toHaveURL(new RegExp(`user=${SEED.bob.id}`));
  await expect(page.locator("body")).toHaveAttribute("data-app-events", /icon:click/);
  const panel = await openPanel(page);
  await expect(page.frameLocator('iframe[title="Cardbridge panel"]').getByTestId("miro-user")).toHaveText(
    `Signed in to Miro as ${SEED.bob.name}`,
  );
  expect(await verifiedIdToken(panel)).toMatchObject({ user: SEED.bob.id, team: SEED.team.id });
});

test("cards changed through Miro's REST API appear on the open board at once", async ({ page, request }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await openBoard(page);
  const token = await miroRestToken(request);
  const created: string[] = [];
  for (const card of CARDS) {
    const response = await request.post(`${E2E_URLS.miro}/v2/boards/${encodeURIComponent(board.id)}/app_cards`, {
      headers: { authorization: `Bearer ${token}` },
      data: card,
    });
    expect(response.status(), await response.text()).toBe(201);
    created.push(((await response.json()) as { id: string }).id);
  }
  const first = page.locator(`.app-card[data-id="${created[0]}"]`);
  await expect(first).toContainText("Login fails on Safari 17");
  await expect(first.locator(".field", { hasText: "bug" })).toHaveCSS("background-color", "rgb(215, 58, 74)");
  await expect(
    page.locator(`.app-card[data-id="${created[3]}"]`).getByRole("button", { name: /Connect/ }),
  ).toBeVisible();

  // An update through REST (as the webhook fan-out makes it) redraws the card.
  const update = await request.patch(
    `${E2E_URLS.miro}/v2/boards/${encodeURIComponent(board.id)}/app_cards/${created[1]}`,
    {
      headers: { authorization: `Bearer ${token}` },
      data: {
        data: { fields: [{ value: "Closed – completed", fillColor: "#fbefff", textColor: "#8250df" }] },
        style: { fillColor: "#8250df" },
      },
    },
  );
  expect(update.ok()).toBe(true);
  await expect(page.locator(`.app-card[data-id="${created[1]}"]`)).toContainText("Closed – completed");
  await request.patch(`${E2E_URLS.miro}/v2/boards/${encodeURIComponent(board.id)}/app_cards/${created[1]}`, {
    headers: { authorization: `Bearer ${token}` },
    data: { data: { fields: CARDS[1]!.data.fields }, style: CARDS[1]!.style },
  });

  // The board with the app's panel open, for the README.
  await openPanel(page);
  await expect(page.frameLocator('iframe[title="Cardbridge panel"]').getByText(/Checking/)).toHaveCount(0);
  await page.getByRole("button", { name: "Fit to screen" }).click();
  await expect(page.locator(`.app-card[data-id="${created[1]}"]`)).toContainText("enhancement");
  await docsScreenshot(page, "sandbox-board");
});

test("Install app sends the browser through the app's Miro callback and back to the board", async ({ page }) => {
  await openBoard(page, SEED.bob.id);
  await page.getByRole("button", { name: "Install app" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E_URLS.miro}/app-install-completed/`));
  await expect(page.getByRole("heading", { name: "Installed." })).toBeVisible();
  const completed = new URL(page.url());
  expect(completed.searchParams.get("client_id")).toBe(SANDBOX_CREDENTIALS.miroClientId);
  expect(completed.searchParams.get("team_id")).toBe(SEED.team.id);

  await page.getByRole("link", { name: "Back to board" }).click();
  await expect(page.locator("body")).toHaveAttribute("data-board-ready", "true");
  await expect(page.getByLabel("Acting as")).toHaveValue(SEED.bob.id);
});
