/**
 * The sandbox board page's script (bundled by the emulator, served at /board/static/board.js):
 * draws the board's items live from the server's event stream, lets a person select, move and
 * delete them, and hosts the app through AppHost.
 */
import type { BoardChange } from "../../state";
import type { BoardPageConfig } from "../page-config";
import { AppHost } from "./app-host";
import { BoardView, type PageItem } from "./board-view";

const config = JSON.parse(byId("board-config").textContent ?? "{}") as BoardPageConfig;
const userId = config.currentUserId;

const host: { current?: AppHost } = {};
const view = new BoardView(
  byId("canvas"),
  byId("world"),
  config,
  {
    selectionChanged: (items) => host.current?.itemsEvent("selection:update", items),
    statusClicked: (item) => host.current?.statusClicked(item),
    moved: (moves) => {
      for (const move of moves) {
        void api(`${config.paths.items}/${encodeURIComponent(move.id)}`, "PATCH", { userId, x: move.x, y: move.y });
      }
    },
    deleteRequested: (items) => {
      for (const item of items) {
        void api(`${config.paths.items}/${encodeURIComponent(item.id)}?userId=${encodeURIComponent(userId)}`, "DELETE");
      }
    },
    stickyEdited: (id, content) => {
      void api(`${config.paths.items}/${encodeURIComponent(id)}`, "PATCH", { userId, content });
    },
  },
  byId("zoom-fit"),
);

const appHost = new AppHost(config, view, {
  headless: byId("app-headless") as HTMLIFrameElement,
  panel: byId("panel"),
  panelBody: byId("panel-body"),
  modalBackdrop: byId("modal-backdrop"),
  modal: byId("modal"),
  modalBody: byId("modal-body"),
  toasts: byId("toasts"),
  dragGhost: byId("drag-ghost"),
});
host.current = appHost;

// Live items: a snapshot on every (re)connect, then each change.
const events = new EventSource(config.paths.events);
events.addEventListener("snapshot", (event) => {
  view.replaceAll((JSON.parse((event as MessageEvent<string>).data) as { items: PageItem[] }).items);
  document.body.dataset.boardReady = "true";
});
events.addEventListener("change", (event) => {
  const change = JSON.parse((event as MessageEvent<string>).data) as Omit<BoardChange, "boardId">;
  if (change.kind === "deleted") {
    view.remove(change.item.id);
    appHost.itemsEvent("items:delete", [change.item]);
  } else {
    view.upsert(change.item);
    appHost.itemsEvent(change.kind === "created" ? "items:create" : "experimental:items:update", [change.item]);
  }
});

// Chrome.
byId("app-icon").addEventListener("click", () => appHost.iconClicked());
byId("panel-close").addEventListener("click", () => appHost.closePanelFromChrome());
byId("modal-close").addEventListener("click", () => appHost.closeModalFromChrome());
byId("modal-backdrop").addEventListener("click", (event) => {
  if (event.target === event.currentTarget) appHost.closeModalFromChrome();
});
byId("zoom-in").addEventListener("click", () => view.zoomBy(1.25));
byId("zoom-out").addEventListener("click", () => view.zoomBy(0.8));
byId("zoom-fit").addEventListener("click", () => view.zoomToFit());
byId("tool-sticky").addEventListener("click", async () => {
  const center = view.visibleCenter();
  const offset = () => Math.round((Math.random() - 0.5) * 120);
  const body = await api(config.paths.items, "POST", { userId, x: center.x + offset(), y: center.y + offset() });
  const item = (body as { item?: PageItem } | undefined)?.item;
  if (!item) return;
  view.upsert(item);
  view.setSelection([item.id]);
  view.editSticky(item.id);
});
// Acting as someone else is a new session: reload, so the app's frames start over as that person
// (the server remembers the choice in a cookie).
byId("user-select").addEventListener("change", (event) => {
  const next = (event.target as HTMLSelectElement).value;
  const url = new URL(window.location.href);
  url.searchParams.set("user", next);
  window.location.assign(url.toString());
});
document.getElementById("board-select")?.addEventListener("change", (event) => {
  window.location.assign(`/board/${encodeURIComponent((event.target as HTMLSelectElement).value)}`);
});
// Installing is a top-level navigation to the app's redirect URI (Miro's SDK authorization).
byId("install-app").addEventListener("click", () => {
  const url = new URL(config.paths.install, window.location.origin);
  url.searchParams.set("boardId", config.board.id);
  url.searchParams.set("userId", userId);
  window.location.assign(url.toString());
});

async function api(path: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { message?: string };
    appHost.toast(problem.message ?? `${method} failed (${response.status})`, "error");
    return undefined;
  }
  return response.status === 204 ? undefined : response.json();
}

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The board page has no #${id}`);
  return element;
}
