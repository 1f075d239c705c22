import { type ChildProcess, spawn } from "node:child_process";
import { expect, type FrameLocator, type Page, test } from "@playwright/test";
import { SEED } from "../emulators/miro/seed";

/**
 * The board's side of the Web SDK, exercised by a fake app (plain pages using `window.miro`,
 * tests/emulators/miro/board/testing/fake-app.ts) on a Miro emulator of this file's own: drag and
 * drop from the panel, selection, deleting, a card's status opening a modal that closes with a
 * value, toasts. Cardbridge itself is not involved.
 *
 * The emulator runs in a child process: its REST side reads its OpenAPI description with
 * `import.meta`, which Playwright's CommonJS loader can't load.
 */

const board = SEED.sprintBoard.id;
let server: ChildProcess | undefined;
let miroUrl = "";

test.beforeAll(async () => {
  server = spawn(
    process.execPath,
    ["--import", "tsx", "tests/emulators/miro/board/testing/serve-with-fake-app.ts", "0"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  miroUrl = await new Promise<string>((resolve, reject) => {
    let output = "";
    server?.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const line = /fake-app-board-ready (.*)/.exec(output)?.[1];
      if (line) resolve((JSON.parse(line) as { miro: string }).miro);
    });
    server?.once("exit", (code) => reject(new Error(`the fake app's board stopped (${code})`)));
  });
});

test.afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
});

/** The board's items, read as the app reads them (through the SDK commands the board forwards). */
async function sdk(page: Page, command: string, payload: unknown, userId: string = SEED.alice.id) {
  const response = await page.request.post(`${miroUrl}/board/api/boards/${encodeURIComponent(board)}/sdk`, {
    data: { userId, command, payload },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return ((await response.json()) as { result: unknown }).result;
}

async function boardItems(page: Page) {
  return (await sdk(page, "board.get", {})) as {
    id: string;
    type: string;
    title?: string;
    createdBy: string;
    style: Record<string, string>;
  }[];
}

async function openBoardWithPanel(page: Page): Promise<FrameLocator> {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${miroUrl}/board`);
  await expect(page.locator("body")).toHaveAttribute("data-app-events", /icon:click/);
  await page.getByRole("navigation", { name: "Tools" }).getByRole("button", { name: "Cardbridge" }).click();
  const panel = page.frameLocator('iframe[title="Cardbridge panel"]');
  await expect(panel.locator("#token")).toHaveText("token ok");
  // Bring every item into the part of the board the panel leaves visible.
  await page.getByRole("button", { name: "Fit to screen" }).click();
  return panel;
}

/** What the fake headless page recorded. */
function headlessLog(page: Page) {
  const headless = page.frames().find((frame) => frame.url().endsWith("/headless"));
  return headless!.evaluate(() => (window as unknown as { sandboxLog: Record<string, unknown>[] }).sandboxLog);
}

test("dragging an item from the panel onto the board drops it where the pointer lets go", async ({ page }) => {
  const panel = await openBoardWithPanel(page);
  const source = await panel.locator("#drag").boundingBox();
  await page.mouse.move(source!.x + 20, source!.y + 10);
  await page.mouse.down();
  await page.mouse.move(source!.x + 60, source!.y + 30, { steps: 4 });
  await page.mouse.move(900, 620, { steps: 8 });
  await expect(page.locator("#drag-ghost")).toBeVisible();
  await page.mouse.up();
  await expect(page.locator("#drag-ghost")).toBeHidden();

  const card = page.locator(".app-card", { hasText: "Drag me: Issue #7" });
  await expect(card).toBeVisible();
  // The card is centred where the pointer was released, and the app created it (as Alice).
  const box = (await card.boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - 900)).toBeLessThan(3);
  expect(Math.abs(box.y + box.height / 2 - 620)).toBeLessThan(3);
  expect((await boardItems(page)).find((item) => item.title === "Drag me: Issue #7")).toMatchObject({
    createdBy: SEED.alice.id,
  });
});

test("dropping back onto the panel drops nothing", async ({ page }) => {
  const panel = await openBoardWithPanel(page);
  const before = await page.locator(".app-card").count();
  const source = await panel.locator("#drag").boundingBox();
  await page.mouse.move(source!.x + 20, source!.y + 10);
  await page.mouse.down();
  await page.mouse.move(source!.x + 60, source!.y + 120, { steps: 6 });
  await page.mouse.up();
  await expect(page.locator("#drag-ghost")).toBeHidden();
  await expect(page.locator(".app-card")).toHaveCount(before);
});

test("selecting, shift-selecting and deleting items tell the app, and getSelection agrees", async ({ page }) => {
  const panel = await openBoardWithPanel(page);
  const login = page.locator(`[data-id="${SEED.stickies.loginBug}"]`);
  const darkMode = page.locator(`[data-id="${SEED.stickies.darkMode}"]`);
  await login.click();
  await darkMode.click({ modifiers: ["Shift"] });
  await expect(page.locator(".item.is-selected")).toHaveCount(2);
  await panel.locator("#selection").click();
  await expect(panel.locator("#selected")).toContainText(`sticky_note:${SEED.stickies.loginBug}`);
  await expect(panel.locator("#selected")).toContainText(`sticky_note:${SEED.stickies.darkMode}`);

  await darkMode.click({ modifiers: ["Shift"] });
  await expect(page.locator(".item.is-selected")).toHaveCount(1);
  await page.keyboard.press("Delete");
  await expect(login).toHaveCount(0);
  expect((await boardItems(page)).map((item) => item.id)).not.toContain(SEED.stickies.loginBug);

  const log = await headlessLog(page);
  expect(log).toContainEqual({ event: "selection:update", ids: [SEED.stickies.loginBug, SEED.stickies.darkMode] });
  expect(log).toContainEqual({ event: "items:delete", ids: [SEED.stickies.loginBug] });
});

test("a connected card's status opens the app's modal, whose closing value comes back to the opener", async ({
  page,
}) => {
  await openBoardWithPanel(page);
  const card = (await sdk(page, "board.createAppCard", {
    title: "Open me",
    status: "connected",
    style: { cardTheme: "#8250df" },
    x: 0,
    y: 200,
  })) as { id: string };
  await page.locator(`[data-id="${card.id}"]`).getByRole("button", { name: /Open/ }).click();
  const modal = page.frameLocator('iframe[title="Cardbridge modal"]');
  await expect(modal.locator("#data")).toHaveText("Editing Open me");
  await modal.getByRole("button", { name: "Save" }).click();
  await expect(page.locator('iframe[title="Cardbridge modal"]')).toHaveCount(0);
  await expect(page.locator(".toast")).toContainText('Modal closed with {"saved":true}');
  expect(await headlessLog(page)).toContainEqual({
    event: "app_card:open",
    id: card.id,
    title: "Open me",
    cardTheme: "#8250df",
  });
});

test("a disconnected card's status asks the app to connect it", async ({ page }) => {
  await openBoardWithPanel(page);
  const card = (await sdk(page, "board.createAppCard", { title: "Orphan card", x: 0, y: 380 })) as { id: string };
  await page
    .locator(`[data-id="${card.id}"]`)
    .getByRole("button", { name: /Connect/ })
    .click();
  await expect(page.locator(".toast")).toContainText("Connect Orphan card");
});

test("cards the app creates through the SDK are the acting person's, synced and with metadata", async ({ page }) => {
  const panel = await openBoardWithPanel(page);
  await panel.getByRole("button", { name: "Create card" }).click();
  await expect(page.locator(".app-card", { hasText: "Created and synced" })).toBeVisible();
  await expect(panel.locator("#log")).toContainText('"metadata":{"number":7}');
  const created = (await boardItems(page)).find((item) => item.title === "Created and synced");
  expect(created).toMatchObject({ type: "app_card", createdBy: SEED.alice.id, style: { cardTheme: "#1a7f37" } });
});
