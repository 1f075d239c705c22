/**
 * The stand-in for Miro's Web SDK script (https://miro.com/app/static/sdk/v2/miro.js), bundled
 * and served by the Miro emulator at /sdk/v2/miro.js. Loaded in the app's iframes on the sandbox
 * board, it defines `window.miro` and talks to the board page over postMessage (see ../protocol.ts).
 *
 * Only the part of the SDK that Cardbridge uses is here, under the SDK's own names
 * (`miro.board...`); websdk-conformance.ts checks these shapes against @mirohq/websdk-types.
 */
import {
  isSdkMessage,
  type Json,
  SDK_CHANNEL,
  type SdkAppCardData,
  type SdkBoardInfo,
  type SdkCommandName,
  type SdkCommands,
  type SdkEvent,
  type SdkItemData,
  type SdkNote,
  type SdkRequest,
  type SdkStickyNoteData,
  type SdkUserInfo,
} from "../protocol";

export type ItemMethods = {
  sync(): Promise<void>;
  getMetadata(): Promise<Record<string, Json>>;
  getMetadata<T extends Json>(key: string): Promise<T>;
  setMetadata<T extends Record<string, Json>>(key: string, value: Json): Promise<T>;
};

export type SdkItem<T extends SdkItemData = SdkItemData> = T & ItemMethods;
export type SdkAppCard = SdkItem<SdkAppCardData>;
export type SdkStickyNote = SdkItem<SdkStickyNoteData>;

type Handler = (event?: unknown) => void;
type CloseHandle = { waitForClose: <Result = undefined>() => Promise<Result | undefined> };

/** The board page frames us; its origin is where our answers must come from. */
const boardWindow = window.parent !== window ? window.parent : undefined;
const boardOrigin = detectBoardOrigin();
const pending = new Map<string, { resolve(value: unknown): void; reject(error: Error): void }>();
const handlers = new Map<string, Set<Handler>>();
let nextId = 0;

function detectBoardOrigin(): string | undefined {
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0];
  const script = document.currentScript as HTMLScriptElement | null;
  return script?.src ? new URL(script.src).origin : undefined;
}

function call<C extends SdkCommandName>(
  command: C,
  payload?: SdkCommands[C]["payload"],
): Promise<SdkCommands[C]["result"]> {
  if (!boardWindow || !boardOrigin) {
    return Promise.reject(new Error("miro: this page is not running inside a Miro board"));
  }
  nextId += 1;
  const id = `${Date.now().toString(36)}.${nextId}`;
  const request: SdkRequest<C> = { channel: SDK_CHANNEL, kind: "request", id, command, payload: toWire(payload) };
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    boardWindow.postMessage(request, boardOrigin);
  });
}

function note(message: Omit<SdkNote, "channel" | "kind">) {
  if (boardWindow && boardOrigin)
    boardWindow.postMessage({ channel: SDK_CHANNEL, kind: "note", ...message }, boardOrigin);
}

/** Items and modal data cross as JSON: methods, DOM nodes and `undefined` are left behind. */
function toWire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

window.addEventListener("message", (event: MessageEvent) => {
  if (event.source !== boardWindow || event.origin !== boardOrigin || !isSdkMessage(event.data)) return;
  const message = event.data;
  if (message.kind === "response") {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.result);
    else waiting.reject(new Error(message.error));
  } else if (message.kind === "event") {
    dispatch(message);
  }
});

// Items ---------------------------------------------------------------------------------------

const itemPrototype: ItemMethods = {
  async sync(this: SdkItem) {
    const fresh = await call("board.sync", toWire({ ...this }) as Record<string, unknown>);
    Object.assign(this, fresh);
  },
  getMetadata(this: SdkItem, key?: string) {
    return call("board.getMetadata", { id: this.id, key }) as Promise<never>;
  },
  setMetadata(this: SdkItem, key: string, value: Json) {
    return call("board.setMetadata", { id: this.id, key, value }) as Promise<never>;
  },
};

function wrap<T extends SdkItemData>(data: T): SdkItem<T> {
  return Object.assign(Object.create(itemPrototype) as ItemMethods, data) as SdkItem<T>;
}

function wrapAll<T extends SdkItemData>(list: T[]): SdkItem<T>[] {
  return list.map(wrap);
}

function idOf(item: { id?: unknown }): string {
  if (typeof item?.id !== "string") throw new Error("miro: the item has no id");
  return item.id;
}

// Events --------------------------------------------------------------------------------------

function dispatch(message: SdkEvent) {
  const listeners = handlers.get(message.event);
  if (!listeners || listeners.size === 0) return;
  const data = message.data as { appCard?: SdkAppCardData; items?: SdkItemData[] } | undefined;
  let event: unknown;
  if (message.event === "app_card:open" || message.event === "app_card:connect") {
    event = { appCard: data?.appCard ? wrap(data.appCard) : undefined };
  } else if (data?.items) {
    event = { items: wrapAll(data.items) };
  }
  for (const listener of [...listeners]) {
    try {
      if (message.event === "icon:click") listener();
      else listener(event);
    } catch (error) {
      console.error(`miro: a "${message.event}" handler threw`, error);
    }
  }
}

async function on(event: string, handler: (event: never) => void): Promise<void> {
  let listeners = handlers.get(event);
  const first = !listeners;
  if (!listeners) {
    listeners = new Set();
    handlers.set(event, listeners);
  }
  listeners.add(handler as Handler);
  if (!first) return;
  // The drop event comes from this frame's own drag sensor, not from the board's event stream.
  if (event === "drop") enableDragSensor();
  else await call("ui.on", { event });
}

async function off(event: string, handler: (event: never) => void): Promise<void> {
  const listeners = handlers.get(event);
  if (!listeners?.delete(handler as Handler) || listeners.size > 0) return;
  handlers.delete(event);
  if (event !== "drop") await call("ui.off", { event });
}

// Drag and drop from the panel -----------------------------------------------------------------
// Like Miro's DragSensor: elements with the class `miro-draggable` can be dragged onto the board;
// the board answers with the board coordinates of the drop, and `drop` handlers get {x, y, target}.

const DRAG_THRESHOLD = 4;
let dragSensorOn = false;

function enableDragSensor() {
  if (dragSensorOn) return;
  dragSensorOn = true;
  document.addEventListener(
    "dragstart",
    (event) => {
      if ((event.target as Element | null)?.closest?.(".miro-draggable")) event.preventDefault();
    },
    true,
  );
  document.addEventListener("mousedown", (down) => {
    if (down.button !== 0) return;
    const target = (down.target as Element | null)?.closest?.(".miro-draggable") as HTMLElement | null;
    if (!target) return;
    let dragging = false;
    const bodyUserSelect = document.body.style.userSelect;
    const move = (event: MouseEvent) => {
      if (!dragging) {
        if (Math.hypot(event.clientX - down.clientX, event.clientY - down.clientY) < DRAG_THRESHOLD) return;
        dragging = true;
        document.body.style.userSelect = "none";
        const rect = target.getBoundingClientRect();
        const label = (target.dataset.dragLabel ?? target.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 80);
        call("ui.drag", {
          clientX: event.clientX,
          clientY: event.clientY,
          label,
          width: rect.width,
          height: rect.height,
        })
          .then((point) => {
            stop();
            if (point) dispatchDrop({ x: point.x, y: point.y, target });
          })
          .catch(stop);
        return;
      }
      note({ note: "drag.move", clientX: event.clientX, clientY: event.clientY });
    };
    const up = (event: MouseEvent) => {
      if (dragging) {
        note({ note: "drag.end", clientX: event.clientX, clientY: event.clientY });
        // The mouseup ends a drag, not a click on the dragged element.
        window.addEventListener("click", swallow, { capture: true, once: true });
        setTimeout(() => window.removeEventListener("click", swallow, true), 0);
      }
      detach();
    };
    const swallow = (click: MouseEvent) => click.stopPropagation();
    const detach = () => {
      window.removeEventListener("mousemove", move, true);
      window.removeEventListener("mouseup", up, true);
    };
    const stop = () => {
      detach();
      document.body.style.userSelect = bodyUserSelect;
    };
    window.addEventListener("mousemove", move, true);
    window.addEventListener("mouseup", up, true);
  });
}

function dispatchDrop(event: { x: number; y: number; target: HTMLElement }) {
  for (const listener of [...(handlers.get("drop") ?? [])]) {
    try {
      listener(event);
    } catch (error) {
      console.error('miro: a "drop" handler threw', error);
    }
  }
}

// The SDK ---------------------------------------------------------------------------------------

async function openFrame(
  command: "ui.openPanel" | "ui.openModal",
  options: Record<string, unknown>,
): Promise<CloseHandle> {
  const { handle } = await call(command, options as SdkCommands[typeof command]["payload"]);
  return { waitForClose: <Result>() => call("ui.waitForClose", { handle }) as Promise<Result | undefined> };
}

const notifications = {
  show: async (options: { type: "info" | "error" | string; message: string }) => {
    await call("notifications.show", {
      type: options.type === "error" ? "error" : "info",
      message: String(options.message),
    });
  },
  showInfo: (message: string) => notifications.show({ type: "info", message }),
  showError: (message: string) => notifications.show({ type: "error", message }),
};

const ui = {
  openPanel: (options: { url: string; height?: number; data?: unknown }) => openFrame("ui.openPanel", options),
  closePanel: async (result?: unknown) => {
    await call("ui.closePanel", { result });
  },
  getPanelData: <Data = unknown>() => call("ui.getPanelData") as Promise<Data | undefined>,
  canOpenPanel: () => call("ui.canOpenPanel"),
  openModal: (options: { url: string; width?: number; height?: number; fullscreen?: boolean; data?: unknown }) =>
    openFrame("ui.openModal", options),
  closeModal: async (result?: unknown) => {
    await call("ui.closeModal", { result });
  },
  getModalData: <Data = unknown>() => call("ui.getModalData") as Promise<Data | undefined>,
  canOpenModal: () => call("ui.canOpenModal"),
  on,
  off,
};

const viewport = {
  zoomTo: async (items: { id: string } | { id: string }[]) => {
    await call("viewport.zoomTo", { ids: (Array.isArray(items) ? items : [items]).map(idOf) });
  },
};

const board = {
  createAppCard: async (props?: Record<string, unknown>): Promise<SdkAppCard> =>
    wrap(await call("board.createAppCard", props ?? {})),
  createStickyNote: async (props?: Record<string, unknown>): Promise<SdkStickyNote> =>
    wrap(await call("board.createStickyNote", props ?? {})),
  get: async (filter?: { id?: string | string[]; type?: string | string[]; tags?: string | string[] }) =>
    wrapAll(await call("board.get", filter)),
  getById: async (id: string): Promise<SdkItem> => {
    const [found] = await call("board.get", { id });
    if (!found) throw new Error(`miro: item ${id} not found`);
    return wrap(found);
  },
  getSelection: async () => wrapAll(await call("board.getSelection")),
  remove: async (item: { id: string }) => {
    await call("board.remove", { id: idOf(item) });
  },
  sync: async (item: { id: string }) => {
    if (typeof (item as Partial<ItemMethods>).sync === "function") return (item as SdkItem).sync();
    await call("board.sync", toWire({ ...item }) as Record<string, unknown>);
  },
  setMetadata: <D extends Record<string, Json>>(item: { id: string }, key: string, value: Json) =>
    call("board.setMetadata", { id: idOf(item), key, value }) as Promise<D>,
  getMetadata: <K extends string | undefined = undefined>(item: { id: string }, key?: K) =>
    call("board.getMetadata", { id: idOf(item), key }) as Promise<K extends string ? Json : Record<string, Json>>,
  getIdToken: (): Promise<string> => call("board.getIdToken"),
  getUserInfo: (): Promise<SdkUserInfo> => call("board.getUserInfo"),
  getInfo: (): Promise<SdkBoardInfo> => call("board.getInfo"),
  ui,
  notifications,
  viewport,
};

export const sandboxMiro = { board, clientVersion: "2.0-cardbridge-sandbox" };
export type SandboxMiro = typeof sandboxMiro;

(window as unknown as { miro: SandboxMiro }).miro = sandboxMiro;
