import { toSdkItem } from "../../sdk/item-mapping";
import {
  isSdkMessage,
  SDK_CHANNEL,
  SERVER_COMMANDS,
  type SdkCommandName,
  type SdkCommands,
  type SdkEvent,
  type SdkEventName,
  type SdkNote,
  type SdkRequest,
  type SdkResponse,
  type ServerCommandName,
} from "../../sdk/protocol";
import type { BoardPageConfig } from "../page-config";
import type { BoardView, PageItem } from "./board-view";

/**
 * Hosts the app on the board the way Miro does: its headless page in a hidden iframe, a side panel
 * and a modal in iframes, and the other end of the SDK stand-in's postMessage protocol.
 * Item commands go to the emulator's server (MiroState); UI commands are answered here.
 */

type FrameKind = "headless" | "panel" | "modal";

type AppFrame = {
  kind: FrameKind;
  iframe: HTMLIFrameElement;
  /** Events this frame's SDK subscribed to (`miro.board.ui.on`). */
  events: Set<string>;
  url: string;
  handle?: string;
  data?: unknown;
};

type ActiveDrag = {
  frame: AppFrame;
  finish(point: { x: number; y: number } | null): void;
  ghost: HTMLElement;
};

const DEFAULT_MODAL = { width: 640, height: 480 };

export class AppHost {
  private readonly appOrigin: string;
  private readonly frames: AppFrame[] = [];
  private readonly closeWaiters = new Map<string, ((result: unknown) => void)[]>();
  private readonly closedWith = new Map<string, unknown>();
  private nextHandle = 0;
  private drag: ActiveDrag | undefined;

  constructor(
    private readonly config: BoardPageConfig,
    private readonly view: BoardView,
    private readonly dom: {
      headless: HTMLIFrameElement;
      panel: HTMLElement;
      panelBody: HTMLElement;
      modalBackdrop: HTMLElement;
      modal: HTMLElement;
      modalBody: HTMLElement;
      toasts: HTMLElement;
      dragGhost: HTMLElement;
    },
  ) {
    this.appOrigin = new URL(config.app.appUrl).origin;
    window.addEventListener("message", (event) => this.receive(event));
    document.addEventListener("mousemove", (event) => this.dragMoved(event.clientX, event.clientY));
    document.addEventListener("mouseup", (event) => this.dragEnded(event.clientX, event.clientY));
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && this.frame("modal")) this.close("modal", undefined);
    });
    const headless: AppFrame = {
      kind: "headless",
      iframe: dom.headless,
      events: new Set(),
      url: config.app.headlessUrl,
    };
    this.frames.push(headless);
    dom.headless.src = config.app.headlessUrl;
  }

  /** The toolbar's app icon: Miro sends `icon:click` to the app (its headless page opens the panel). */
  iconClicked() {
    if (!this.emit("icon:click", undefined)) {
      this.toast(
        `${this.config.app.name} did not answer (no icon:click handler yet: is ${this.config.app.headlessUrl} up?)`,
        "error",
      );
    }
  }

  /** A card's status icon: `app_card:open` when connected, `app_card:connect` when not. */
  statusClicked(item: PageItem) {
    const appCard = toSdkItem(item, this.config.app.clientId);
    const event = appCard.type === "app_card" && appCard.status === "connected" ? "app_card:open" : "app_card:connect";
    if (!this.emit(event, { appCard })) this.toast(`${this.config.app.name} is not listening for ${event}`, "error");
  }

  itemsEvent(
    event: "selection:update" | "items:create" | "items:delete" | "experimental:items:update",
    items: PageItem[],
  ) {
    this.emit(event, { items: items.map((item) => toSdkItem(item, this.config.app.clientId)) });
  }

  toast(message: string, type: "info" | "error" = "info") {
    const toast = document.createElement("div");
    toast.className = `toast toast--${type}`;
    toast.textContent = message;
    this.dom.toasts.appendChild(toast);
    setTimeout(() => toast.remove(), type === "error" ? 6000 : 3500);
  }

  closePanelFromChrome() {
    this.close("panel", undefined);
  }

  closeModalFromChrome() {
    this.close("modal", undefined);
  }

  /** Sends an event to every frame that subscribed; false when none did. */
  private emit(event: SdkEventName, data: unknown): boolean {
    const message: SdkEvent = { channel: SDK_CHANNEL, kind: "event", event, data };
    let delivered = false;
    for (const frame of this.frames) {
      if (!frame.events.has(event)) continue;
      frame.iframe.contentWindow?.postMessage(message, this.appOrigin);
      delivered = true;
    }
    return delivered;
  }

  /** The events the app listens to, on the page (`data-app-events`): tests wait for `icon:click`. */
  private showSubscriptions() {
    const events = new Set(this.frames.flatMap((frame) => [...frame.events]));
    document.body.dataset.appEvents = [...events].sort().join(" ");
  }

  // Requests from the app's frames -------------------------------------------------------------

  private receive(event: MessageEvent) {
    if (event.origin !== this.appOrigin || !isSdkMessage(event.data)) return;
    const frame = this.frames.find((candidate) => candidate.iframe.contentWindow === event.source);
    if (!frame) return;
    const message = event.data;
    if (message.kind === "note") return this.noted(frame, message);
    if (message.kind !== "request") return;
    const source = event.source as Window;
    const reply = (response: { ok: true; result: unknown } | { ok: false; error: string }) => {
      const body = { channel: SDK_CHANNEL, kind: "response", id: message.id, ...response } as SdkResponse;
      source.postMessage(body, this.appOrigin);
    };
    this.handle(frame, message).then(
      (result) => reply({ ok: true, result: result ?? null }),
      (error: unknown) => reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  }

  private async handle(frame: AppFrame, request: SdkRequest): Promise<unknown> {
    const command: SdkCommandName = request.command;
    if ((SERVER_COMMANDS as readonly string[]).includes(command)) {
      return this.server(command as ServerCommandName, request.payload);
    }
    const payload = request.payload as Record<string, unknown> | undefined;
    switch (command) {
      case "board.getSelection":
        return this.view.selectedItems().map((item) => toSdkItem(item, this.config.app.clientId));
      case "board.getIdToken":
        return this.idToken();
      case "board.getUserInfo": {
        const user = this.config.users.find((candidate) => candidate.id === this.config.currentUserId);
        return {
          id: this.config.currentUserId,
          name: user?.name ?? "",
        } satisfies SdkCommands["board.getUserInfo"]["result"];
      }
      case "board.getInfo": {
        // ISO timestamps sort as strings: the board changed last when its newest item did.
        const updatedAt =
          [this.config.board.createdAt, ...[...this.view.items.values()].map((item) => item.modifiedAt)]
            .sort()
            .at(-1) ?? this.config.board.createdAt;
        return {
          id: this.config.board.id,
          locale: "en",
          createdAt: this.config.board.createdAt,
          updatedAt,
        } satisfies SdkCommands["board.getInfo"]["result"];
      }
      case "ui.openPanel":
        return this.open("panel", payload as SdkCommands["ui.openPanel"]["payload"]);
      case "ui.openModal":
        return this.open("modal", payload as SdkCommands["ui.openModal"]["payload"]);
      case "ui.closePanel":
        this.close("panel", payload?.result);
        return null;
      case "ui.closeModal":
        this.close("modal", payload?.result);
        return null;
      case "ui.getPanelData":
        return this.frame("panel")?.data ?? null;
      case "ui.getModalData":
        return this.frame("modal")?.data ?? null;
      case "ui.canOpenPanel":
        return true;
      case "ui.canOpenModal":
        return !this.frame("modal");
      case "ui.waitForClose":
        return this.waitForClose(String(payload?.handle));
      case "ui.on":
        frame.events.add(String(payload?.event));
        this.showSubscriptions();
        return null;
      case "ui.off":
        frame.events.delete(String(payload?.event));
        this.showSubscriptions();
        return null;
      case "ui.drag":
        return this.startDrag(frame, payload as SdkCommands["ui.drag"]["payload"]);
      case "notifications.show":
        this.toast(String(payload?.message ?? ""), payload?.type === "error" ? "error" : "info");
        return null;
      case "viewport.zoomTo":
        this.view.zoomToIds(Array.isArray(payload?.ids) ? (payload.ids as string[]) : []);
        return null;
      default:
        throw new Error(`miro sandbox: ${String(command)} is not emulated`);
    }
  }

  private async server(command: ServerCommandName, payload: unknown): Promise<unknown> {
    const response = await fetch(this.config.paths.sdk, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ userId: this.config.currentUserId, command, payload }),
    });
    const body = (await response.json().catch(() => ({}))) as { result?: unknown; message?: string };
    if (!response.ok) throw new Error(body.message ?? `${command} failed (${response.status})`);
    return body.result;
  }

  private async idToken(): Promise<string> {
    const response = await fetch(this.config.paths.idToken, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ boardId: this.config.board.id, userId: this.config.currentUserId }),
    });
    const body = (await response.json().catch(() => ({}))) as { token?: string; message?: string };
    if (!response.ok || !body.token) throw new Error(body.message ?? `getIdToken failed (${response.status})`);
    return body.token;
  }

  // Panel and modal -------------------------------------------------------------------------------

  private frame(kind: FrameKind): AppFrame | undefined {
    return this.frames.find((frame) => frame.kind === kind);
  }

  /** Panel and modal URLs are the app's own: relative ones resolve against the app's base URL. */
  private resolveAppUrl(url: unknown): string {
    if (typeof url !== "string" || url === "") throw new Error("url is required");
    const base = this.config.app.appUrl.endsWith("/") ? this.config.app.appUrl : `${this.config.app.appUrl}/`;
    const resolved = new URL(url, base);
    if (resolved.origin !== this.appOrigin) throw new Error(`url must be on the app's domain (${this.appOrigin})`);
    return resolved.toString();
  }

  private open(
    kind: "panel" | "modal",
    options: { url: string; width?: number; height?: number; fullscreen?: boolean; data?: unknown },
  ): { handle: string } {
    const url = this.resolveAppUrl(options?.url);
    const existing = this.frame(kind);
    if (existing && kind === "modal") throw new Error("A modal is already open: close it first");
    if (existing?.url === url && existing.handle) {
      existing.data = options.data;
      return { handle: existing.handle };
    }
    if (existing) this.close(kind, undefined);

    this.nextHandle += 1;
    const handle = `${kind}-${this.nextHandle}`;
    const iframe = document.createElement("iframe");
    iframe.title = `${this.config.app.name} ${kind}`;
    iframe.name = `${kind}`;
    iframe.allow = "clipboard-read; clipboard-write";
    iframe.src = url;
    const frame: AppFrame = { kind, iframe, events: new Set(), url, handle, data: options.data };
    this.frames.push(frame);

    if (kind === "panel") {
      this.dom.panelBody.replaceChildren(iframe);
      this.dom.panel.hidden = false;
      this.view.setLeftInset(this.dom.panel.getBoundingClientRect().right);
    } else {
      const fullscreen = Boolean(options.fullscreen);
      this.dom.modal.classList.toggle("modal--fullscreen", fullscreen);
      this.dom.modal.style.width = fullscreen ? "" : `${Number(options.width) || DEFAULT_MODAL.width}px`;
      this.dom.modal.style.height = fullscreen ? "" : `${Number(options.height) || DEFAULT_MODAL.height}px`;
      this.dom.modalBody.replaceChildren(iframe);
      this.dom.modalBackdrop.hidden = false;
    }
    return { handle };
  }

  private close(kind: "panel" | "modal", result: unknown) {
    const frame = this.frame(kind);
    if (!frame) return;
    this.frames.splice(this.frames.indexOf(frame), 1);
    frame.iframe.remove();
    if (kind === "panel") {
      this.dom.panel.hidden = true;
      this.view.setLeftInset(0);
    } else {
      this.dom.modalBackdrop.hidden = true;
    }
    this.showSubscriptions();
    if (this.drag?.frame === frame) this.dragEnded(Number.NaN, Number.NaN);
    if (!frame.handle) return;
    this.closedWith.set(frame.handle, result);
    for (const resolve of this.closeWaiters.get(frame.handle) ?? []) resolve(result);
    this.closeWaiters.delete(frame.handle);
  }

  private waitForClose(handle: string): Promise<unknown> {
    if (this.closedWith.has(handle)) return Promise.resolve(this.closedWith.get(handle));
    if (!this.frames.some((frame) => frame.handle === handle)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const waiting = this.closeWaiters.get(handle) ?? [];
      waiting.push(resolve);
      this.closeWaiters.set(handle, waiting);
    });
  }

  // Drag from the panel onto the board ----------------------------------------------------------

  private startDrag(frame: AppFrame, payload: SdkCommands["ui.drag"]["payload"]) {
    this.drag?.finish(null);
    return new Promise<{ x: number; y: number } | null>((resolve) => {
      const ghost = this.dom.dragGhost;
      ghost.textContent = payload.label || "Item";
      ghost.style.width = `${clamp(payload.width, 120, 320)}px`;
      ghost.hidden = false;
      this.drag = {
        frame,
        ghost,
        finish: (point) => {
          ghost.hidden = true;
          this.drag = undefined;
          resolve(point);
        },
      };
      this.noted(frame, { channel: SDK_CHANNEL, kind: "note", note: "drag.move", ...payload });
    });
  }

  /** Pointer positions from the dragging frame come in its own coordinates. */
  private noted(frame: AppFrame, note: SdkNote) {
    if (this.drag?.frame !== frame) return;
    const rect = frame.iframe.getBoundingClientRect();
    const x = rect.left + note.clientX;
    const y = rect.top + note.clientY;
    if (note.note === "drag.move") this.dragMoved(x, y);
    else this.dragEnded(x, y);
  }

  private dragMoved(clientX: number, clientY: number) {
    if (!this.drag) return;
    this.drag.ghost.style.left = `${clientX}px`;
    this.drag.ghost.style.top = `${clientY}px`;
  }

  /** A drop counts on the open board only: not on the panel, the modal or the chrome around. */
  private dragEnded(clientX: number, clientY: number) {
    const drag = this.drag;
    if (!drag) return;
    if (!Number.isFinite(clientX) || !Number.isFinite(clientY)) return drag.finish(null);
    const hit = document.elementFromPoint(clientX, clientY);
    const onCanvas = hit !== null && (hit.id === "canvas" || hit.closest("#world") !== null);
    drag.finish(onCanvas ? this.view.clientToBoard(clientX, clientY) : null);
  }
}

function clamp(value: number, min: number, max: number) {
  return Math.min(max, Math.max(min, value));
}
