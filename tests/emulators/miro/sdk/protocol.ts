/**
 * The postMessage protocol between the SDK stand-in (running inside the app's iframes) and the
 * sandbox board page that frames them. Shared by both sides; types only, plus two constants.
 *
 * - An app frame sends `SdkRequest`s to `window.parent`; the board answers each with one
 *   `SdkResponse` carrying the same `id` (ok + result, or an error message).
 * - The board pushes `SdkEvent`s to the frames that subscribed to the event (`ui.on`).
 * - Every message carries `channel`, so neither side mistakes another script's messages for ours.
 *
 * Items cross the wire as plain data in the Web SDK's shape (`SdkItemData`); the stand-in wraps
 * them into objects with `sync()`, `getMetadata()` and `setMetadata()`.
 */

export const SDK_CHANNEL = "cardbridge-miro-sandbox";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export type AppCardStatus = "disabled" | "disconnected" | "connected";

export type SdkCardField = {
  value?: string;
  fillColor?: string;
  textColor?: string;
  iconUrl?: string;
  iconShape?: "round" | "square";
  tooltip?: string;
};

type SdkItemBase = {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  origin: "center";
  relativeTo: "canvas_center";
  parentId: null;
  createdAt: string;
  createdBy: string;
  modifiedAt: string;
  modifiedBy: string;
  tagIds: string[];
  connectorIds: string[];
};

export type SdkAppCardData = SdkItemBase & {
  type: "app_card";
  title: string;
  description: string;
  fields: SdkCardField[];
  status: AppCardStatus;
  /** The Web SDK calls the card colour `cardTheme`; REST calls it `fillColor`. */
  style: { cardTheme: string };
  rotation: number;
  /** Whether the app asking owns the card (created it). Only the owner may change it. */
  owned: boolean;
};

export type StickyNoteColor =
  | "gray"
  | "light_yellow"
  | "yellow"
  | "orange"
  | "light_green"
  | "green"
  | "dark_green"
  | "cyan"
  | "light_pink"
  | "pink"
  | "violet"
  | "red"
  | "light_blue"
  | "blue"
  | "dark_blue"
  | "black";

export type SdkStickyNoteData = SdkItemBase & {
  type: "sticky_note";
  content: string;
  shape: "square" | "rectangle";
  style: {
    fillColor: StickyNoteColor;
    textAlign: "left" | "center" | "right";
    textAlignVertical: "top" | "middle" | "bottom";
  };
};

export type SdkItemData = SdkAppCardData | SdkStickyNoteData;

export type SdkUserInfo = { id: string; name: string };
export type SdkBoardInfo = { id: string; locale: "en"; createdAt: string; updatedAt: string };

/** What an app frame may ask, with its payload and its answer. */
export type SdkCommands = {
  // Items: executed on the emulator's server, against MiroState.
  "board.createAppCard": { payload: Record<string, unknown>; result: SdkAppCardData };
  "board.createStickyNote": { payload: Record<string, unknown>; result: SdkStickyNoteData };
  "board.get": { payload: { id?: string | string[]; type?: string | string[] } | undefined; result: SdkItemData[] };
  "board.sync": { payload: Record<string, unknown>; result: SdkItemData };
  "board.remove": { payload: { id: string }; result: null };
  "board.setMetadata": { payload: { id: string; key: string; value: Json }; result: Record<string, Json> };
  "board.getMetadata": { payload: { id: string; key?: string }; result: Json | Record<string, Json> };
  // The board page answers these itself.
  "board.getSelection": { payload: undefined; result: SdkItemData[] };
  "board.getIdToken": { payload: undefined; result: string };
  "board.getUserInfo": { payload: undefined; result: SdkUserInfo };
  "board.getInfo": { payload: undefined; result: SdkBoardInfo };
  "ui.openPanel": { payload: { url: string; height?: number; data?: unknown }; result: { handle: string } };
  "ui.closePanel": { payload: { result?: unknown }; result: null };
  "ui.getPanelData": { payload: undefined; result: unknown };
  "ui.canOpenPanel": { payload: undefined; result: boolean };
  "ui.openModal": {
    payload: { url: string; width?: number; height?: number; fullscreen?: boolean; data?: unknown };
    result: { handle: string };
  };
  "ui.closeModal": { payload: { result?: unknown }; result: null };
  "ui.getModalData": { payload: undefined; result: unknown };
  "ui.canOpenModal": { payload: undefined; result: boolean };
  /** Answers when the panel or modal opened as `handle` closes, with the value it was closed with. */
  "ui.waitForClose": { payload: { handle: string }; result: unknown };
  "ui.on": { payload: { event: string }; result: null };
  "ui.off": { payload: { event: string }; result: null };
  /**
   * A drag from the panel started. Answers when it ends: with board coordinates when it ended
   * over the board canvas, `null` otherwise. Meanwhile the frame sends `drag.move` / `drag.end` notes.
   */
  "ui.drag": {
    payload: { clientX: number; clientY: number; label: string; width: number; height: number };
    result: { x: number; y: number } | null;
  };
  "notifications.show": { payload: { type: "info" | "error"; message: string }; result: null };
  "viewport.zoomTo": { payload: { ids: string[] }; result: null };
};

export type SdkCommandName = keyof SdkCommands;

export type SdkRequest<C extends SdkCommandName = SdkCommandName> = {
  channel: typeof SDK_CHANNEL;
  kind: "request";
  id: string;
  command: C;
  payload: SdkCommands[C]["payload"];
};

export type SdkResponse = { channel: typeof SDK_CHANNEL; kind: "response"; id: string } & (
  | { ok: true; result: unknown }
  | { ok: false; error: string }
);

/** One-way notes from a frame: pointer positions during a drag (no answer). */
export type SdkNote = {
  channel: typeof SDK_CHANNEL;
  kind: "note";
  note: "drag.move" | "drag.end";
  clientX: number;
  clientY: number;
};

export type SdkEventName =
  | "icon:click"
  | "app_card:open"
  | "app_card:connect"
  | "selection:update"
  | "items:create"
  | "items:delete"
  | "experimental:items:update";

export type SdkEvent = { channel: typeof SDK_CHANNEL; kind: "event"; event: SdkEventName; data: unknown };

export type SdkMessage = SdkRequest | SdkResponse | SdkNote | SdkEvent;

export function isSdkMessage(value: unknown): value is SdkMessage {
  return typeof value === "object" && value !== null && (value as { channel?: unknown }).channel === SDK_CHANNEL;
}

/** Commands the board page forwards to the emulator's server (`POST /board/api/boards/:id/sdk`). */
export const SERVER_COMMANDS = [
  "board.createAppCard",
  "board.createStickyNote",
  "board.get",
  "board.sync",
  "board.remove",
  "board.setMetadata",
  "board.getMetadata",
] as const satisfies readonly SdkCommandName[];

export type ServerCommandName = (typeof SERVER_COMMANDS)[number];
