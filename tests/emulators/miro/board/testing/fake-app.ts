import { listen, Router, type RunningServer } from "../../../shared/router";

/**
 * A stand-in for the app inside the sandbox board, for testing the board and the SDK stand-in
 * without building Cardbridge: plain pages that use `window.miro` the way an app does and record
 * what happened in `window.sandboxLog` (and on the page, for screenshots and assertions).
 *
 * - /headless: opens /panel on `icon:click`, a modal on `app_card:open` (and reports what it closed
 *   with), a toast on `app_card:connect`; logs `selection:update` and `items:delete`.
 * - /panel: shows getUserInfo, getIdToken and getInfo; creates cards; has a draggable item that
 *   becomes a card where it is dropped; shows the selection.
 * - /modal: shows getModalData; "Save" closes it with a value.
 */
export type FakeApp = RunningServer & { setSdkUrl(url: string): void };

export async function startFakeApp(): Promise<FakeApp> {
  let sdkUrl = "";
  const page = (title: string, body: string, script: string) => ({
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:14px sans-serif;margin:12px;color:#050038}button{margin:4px 0}.miro-draggable{padding:8px;border:1px dashed #4262ff;cursor:grab}</style>
<script src="${sdkUrl}"></script></head><body>${body}
<script>
window.sandboxLog = [];
function log(entry) { window.sandboxLog.push(entry); const el = document.getElementById("log"); if (el) el.textContent += JSON.stringify(entry) + "\\n"; }
${script}
</script></body></html>`,
  });

  const router = new Router();
  router.get("/headless", () =>
    page(
      "headless",
      "",
      `miro.board.ui.on("icon:click", () => miro.board.ui.openPanel({ url: "panel" }));
miro.board.ui.on("app_card:open", async ({ appCard }) => {
  log({ event: "app_card:open", id: appCard.id, title: appCard.title, cardTheme: appCard.style.cardTheme });
  const modal = await miro.board.ui.openModal({ url: "/modal", width: 480, height: 320, data: { cardId: appCard.id, title: appCard.title } });
  const result = await modal.waitForClose();
  await miro.board.notifications.showInfo("Modal closed with " + JSON.stringify(result));
});
miro.board.ui.on("app_card:connect", ({ appCard }) => miro.board.notifications.showInfo("Connect " + appCard.title));
miro.board.ui.on("selection:update", ({ items }) => log({ event: "selection:update", ids: items.map((i) => i.id) }));
miro.board.ui.on("items:delete", ({ items }) => log({ event: "items:delete", ids: items.map((i) => i.id) }));`,
    ),
  );
  router.get("/panel", () =>
    page(
      "panel",
      `<h3 id="who">…</h3><p id="token"></p><p id="info"></p>
<button id="create">Create card</button>
<div class="miro-draggable" id="drag">Drag me: Issue #7</div>
<button id="selection">Show selection</button><pre id="selected"></pre><pre id="log"></pre>`,
      `(async () => {
  const user = await miro.board.getUserInfo();
  document.getElementById("who").textContent = "Signed in to Miro as " + user.name;
  const token = await miro.board.getIdToken();
  window.sandboxToken = token;
  document.getElementById("token").textContent = "token ok";
  const info = await miro.board.getInfo();
  document.getElementById("info").textContent = "board " + info.id;
})().catch((error) => log({ error: error.message }));
document.getElementById("create").onclick = async () => {
  const card = await miro.board.createAppCard({ title: "Created in the panel", status: "connected", style: { cardTheme: "#1a7f37" }, fields: [{ value: "Open", fillColor: "#dafbe1", textColor: "#1a7f37", tooltip: "State" }] });
  await card.setMetadata("issue", { number: 7 });
  card.title = "Created and synced";
  await card.sync();
  log({ created: card.id, metadata: await card.getMetadata("issue") });
};
miro.board.ui.on("drop", async ({ x, y, target }) => {
  const card = await miro.board.createAppCard({ title: target.textContent, x, y, status: "connected" });
  log({ dropped: card.id, x, y });
});
document.getElementById("selection").onclick = async () => {
  const items = await miro.board.getSelection();
  document.getElementById("selected").textContent = items.map((i) => i.type + ":" + i.id).join("\\n");
};`,
    ),
  );
  router.get("/modal", () =>
    page(
      "modal",
      `<h3 id="data">…</h3><button id="save">Save</button>`,
      `miro.board.ui.getModalData().then((data) => { document.getElementById("data").textContent = "Editing " + data.title; });
document.getElementById("save").onclick = () => miro.board.ui.closeModal({ saved: true });`,
    ),
  );
  const running = await listen((req, res) => {
    router.handle(req, res, () => ({ status: 404, body: "not found" })).catch(() => res.end());
  });
  return { ...running, setSdkUrl: (url: string) => (sdkUrl = url) };
}
