import type { BoardItem } from "../state";
import type {
  AppCardStatus,
  SdkAppCardData,
  SdkCardField,
  SdkItemData,
  SdkStickyNoteData,
  StickyNoteColor,
} from "./protocol";

/**
 * Translation between the REST shape the emulator stores (`BoardItem`, as Miro's OpenAPI
 * describes it) and the Web SDK's item shape (`@mirohq/websdk-types`). Pure: the emulator's
 * server uses it for the SDK commands, and the board page (bundled) for the items it sends in
 * events. The one renaming that matters: REST `style.fillColor` is the SDK's `style.cardTheme`.
 */

/** Miro's default app card colour (REST: "Default: `#2d9bf0`"). */
export const DEFAULT_CARD_THEME = "#2d9bf0";
export const APP_CARD_WIDTH = 320;
export const APP_CARD_HEIGHT = 94;
export const STICKY_SIZE = { width: 199, height: 228 };

const STATUSES: readonly AppCardStatus[] = ["connected", "disconnected", "disabled"];
const STICKY_COLORS: readonly StickyNoteColor[] = [
  "gray",
  "light_yellow",
  "yellow",
  "orange",
  "light_green",
  "green",
  "dark_green",
  "cyan",
  "light_pink",
  "pink",
  "violet",
  "red",
  "light_blue",
  "blue",
  "dark_blue",
  "black",
];

/** Bad input from the app, reported to it as the SDK would: a rejected promise with a message. */
export class SdkInputError extends Error {
  readonly status = 400;
}

export function toSdkItem(item: Omit<BoardItem, "metadata">, clientId: string): SdkItemData {
  const base = {
    id: item.id,
    x: item.position.x,
    y: item.position.y,
    width: item.geometry.width,
    origin: "center" as const,
    relativeTo: "canvas_center" as const,
    parentId: null,
    createdAt: item.createdAt,
    createdBy: item.createdBy.id,
    modifiedAt: item.modifiedAt,
    modifiedBy: item.modifiedBy.id,
    tagIds: [],
    connectorIds: [],
  };
  if (item.type === "app_card") {
    const data = item.data;
    const card: SdkAppCardData = {
      ...base,
      type: "app_card",
      height: item.geometry.height ?? APP_CARD_HEIGHT,
      title: typeof data.title === "string" ? data.title : "",
      description: typeof data.description === "string" ? data.description : "",
      fields: Array.isArray(data.fields) ? (data.fields as SdkCardField[]).map(cleanField) : [],
      status: STATUSES.includes(data.status as AppCardStatus) ? (data.status as AppCardStatus) : "disconnected",
      style: { cardTheme: typeof item.style.fillColor === "string" ? item.style.fillColor : DEFAULT_CARD_THEME },
      rotation: item.geometry.rotation ?? 0,
      owned: item.appId === clientId,
    };
    return card;
  }
  const sticky: SdkStickyNoteData = {
    ...base,
    type: "sticky_note",
    height: item.geometry.height ?? STICKY_SIZE.height,
    content: typeof item.data.content === "string" ? item.data.content : "",
    shape: item.data.shape === "rectangle" ? "rectangle" : "square",
    style: {
      fillColor: STICKY_COLORS.includes(item.style.fillColor as StickyNoteColor)
        ? (item.style.fillColor as StickyNoteColor)
        : "light_yellow",
      textAlign: oneOf(item.style.textAlign, ["left", "center", "right"] as const, "center"),
      textAlignVertical: oneOf(item.style.textAlignVertical, ["top", "middle", "bottom"] as const, "top"),
    },
  };
  return sticky;
}

type RestItemInput = Pick<BoardItem, "data" | "style" | "position" | "geometry">;
/** Partial values: MiroState.updateItem merges each of them into the stored item. */
type RestItemChange = Partial<Pick<BoardItem, "data" | "style" | "position" | "geometry">>;

/** `miro.board.createAppCard(props)` → the REST item to store. */
export function appCardFromSdk(props: Record<string, unknown>): RestItemInput {
  const change = appCardChangeFromSdk(props);
  return {
    data: { title: "", description: "", fields: [], status: "disconnected", ...change.data },
    style: { fillColor: DEFAULT_CARD_THEME, ...change.style },
    position: { x: 0, y: 0, origin: "center", relativeTo: "canvas_center", ...change.position },
    geometry: { width: APP_CARD_WIDTH, height: APP_CARD_HEIGHT, rotation: 0, ...change.geometry },
  };
}

/** The changes `item.sync()` makes to an app card: only the properties the SDK lets an app set. */
export function appCardChangeFromSdk(props: Record<string, unknown>): RestItemChange {
  const data: Record<string, unknown> = {};
  if (props.title !== undefined) data.title = text(props.title, "title");
  if (props.description !== undefined) data.description = text(props.description, "description");
  if (props.fields !== undefined) {
    if (!Array.isArray(props.fields)) throw new SdkInputError("fields must be an array");
    data.fields = props.fields.map((field, index) => {
      if (typeof field !== "object" || field === null) throw new SdkInputError(`fields[${index}] must be an object`);
      return cleanField(field as SdkCardField);
    });
  }
  if (props.status !== undefined) {
    if (!STATUSES.includes(props.status as AppCardStatus)) {
      throw new SdkInputError(`status must be one of ${STATUSES.join(", ")}`);
    }
    data.status = props.status;
  }
  const change: RestItemChange = {};
  if (Object.keys(data).length > 0) change.data = data;
  const theme = (props.style as { cardTheme?: unknown } | undefined)?.cardTheme;
  if (theme !== undefined) {
    if (typeof theme !== "string" || !/^#[0-9a-fA-F]{6}$/.test(theme)) {
      throw new SdkInputError("style.cardTheme must be a hex colour like #2d9bf0");
    }
    change.style = { fillColor: theme.toLowerCase() };
  }
  Object.assign(change, placement(props));
  if (props.rotation !== undefined) {
    change.geometry = { ...change.geometry, rotation: num(props.rotation, "rotation") } as BoardItem["geometry"];
  }
  return change;
}

/** `miro.board.createStickyNote(props)` → the REST item to store. */
export function stickyNoteFromSdk(props: Record<string, unknown>): RestItemInput {
  const change = stickyNoteChangeFromSdk(props);
  const width = change.geometry?.width ?? STICKY_SIZE.width;
  return {
    data: { content: "", shape: "square", ...change.data },
    style: { fillColor: "light_yellow", textAlign: "center", textAlignVertical: "top", ...change.style },
    position: { x: 0, y: 0, origin: "center", relativeTo: "canvas_center", ...change.position },
    geometry: {
      width,
      height: change.geometry?.height ?? Math.round((width * STICKY_SIZE.height) / STICKY_SIZE.width),
    },
  };
}

export function stickyNoteChangeFromSdk(props: Record<string, unknown>): RestItemChange {
  const data: Record<string, unknown> = {};
  if (props.content !== undefined) data.content = text(props.content, "content");
  if (props.shape !== undefined) data.shape = oneOfOrThrow(props.shape, ["square", "rectangle"] as const, "shape");
  const change: RestItemChange = {};
  if (Object.keys(data).length > 0) change.data = data;
  const style = props.style as Record<string, unknown> | undefined;
  if (style) {
    const next: Record<string, unknown> = {};
    if (style.fillColor !== undefined) next.fillColor = oneOfOrThrow(style.fillColor, STICKY_COLORS, "style.fillColor");
    if (style.textAlign !== undefined) {
      next.textAlign = oneOfOrThrow(style.textAlign, ["left", "center", "right"] as const, "style.textAlign");
    }
    if (style.textAlignVertical !== undefined) {
      next.textAlignVertical = oneOfOrThrow(
        style.textAlignVertical,
        ["top", "middle", "bottom"] as const,
        "style.textAlignVertical",
      );
    }
    if (Object.keys(next).length > 0) change.style = next;
  }
  Object.assign(change, placement(props));
  if (props.height !== undefined) {
    change.geometry = { ...change.geometry, height: num(props.height, "height") } as BoardItem["geometry"];
  }
  return change;
}

function placement(props: Record<string, unknown>): RestItemChange {
  const change: RestItemChange = {};
  if (props.x !== undefined || props.y !== undefined) {
    const position: Partial<BoardItem["position"]> = {};
    if (props.x !== undefined) position.x = num(props.x, "x");
    if (props.y !== undefined) position.y = num(props.y, "y");
    change.position = position as BoardItem["position"];
  }
  if (props.width !== undefined) {
    const width = num(props.width, "width");
    if (width <= 0) throw new SdkInputError("width must be positive");
    change.geometry = { width };
  }
  return change;
}

function cleanField(field: SdkCardField): SdkCardField {
  const clean: SdkCardField = {};
  for (const key of ["value", "fillColor", "textColor", "iconUrl", "tooltip"] as const) {
    if (typeof field[key] === "string") clean[key] = field[key];
  }
  if (field.iconShape === "round" || field.iconShape === "square") clean.iconShape = field.iconShape;
  return clean;
}

function text(value: unknown, name: string): string {
  if (typeof value !== "string") throw new SdkInputError(`${name} must be a string`);
  return value;
}

function num(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new SdkInputError(`${name} must be a number`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function oneOfOrThrow<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value as T)) throw new SdkInputError(`${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}
