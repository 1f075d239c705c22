import type { EmulatorReply, EmulatorRequest, RouteHandler, Router } from "../shared/router";
import type { Clock } from "./clock";
import type { MiroEmulatorOptions } from "./context";
import { type FieldProblem, MiroHttpError, miroErrors } from "./errors";
import { bearerToken, type MiroOAuth, type TokenGrant } from "./oauth";
import { validateMiroRequest } from "./openapi";
import { CREDITS_PER_LEVEL, type CreditLimiter, OPERATION_LEVELS, type RatedOperation } from "./rate-limit";
import type { Board, BoardItem, ItemType, MiroState } from "./state";

/**
 * Miro's REST API v2 for what Cardbridge uses: app cards (create, get, update, delete) and the
 * board's item list. Shapes are the spec's `AppCardItem`, `AppCardCreateRequest`,
 * `AppCardUpdateRequest` and `GenericItemCursorPaged`; request bodies are checked against the spec
 * itself, so what Miro would refuse with a 400 is refused here too.
 *
 * Every call: bearer token (401) → credits (429) → board the token's user can open on the token's
 * team (404, as Miro hides boards you can't see) → the operation. X-RateLimit-* ride on every
 * answer once the caller is known.
 */

export type RestDeps = {
  state: MiroState;
  options: Required<MiroEmulatorOptions>;
  oauth: MiroOAuth;
  limiter: CreditLimiter;
  clock: Clock;
  baseUrl(): string;
};

type Call = { req: EmulatorRequest; grant: TokenGrant; board: Board };

const DEFAULT_FILL_COLOR = "#2d9bf0";
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const ITEM_TYPES = new Set([
  "text",
  "shape",
  "sticky_note",
  "image",
  "document",
  "card",
  "app_card",
  "preview",
  "frame",
  "embed",
  "doc_format",
  "data_table_format",
]);

export function mountRestRoutes(router: Router, deps: RestDeps) {
  const card = "/v2/boards/:boardId/app_cards/:itemId";

  router.post(
    "/v2/boards/:boardId/app_cards",
    v2(deps, "POST /v2/boards/{board_id}/app_cards", ({ req, grant, board }) => {
      const body = readJsonBody(req, "POST", "/v2/boards/{board_id}/app_cards");
      const { data = {}, style = {}, position, geometry, parent } = body as AppCardChanges;
      checkAppCard(data, style, parent);
      const item = deps.state.createItem(board.id, grant.userId, {
        type: "app_card",
        // Spec defaults (AppCardDataChanges): status "disconnected"; fill colour #2d9bf0 (AppCardStyle).
        data: { status: "disconnected", ...data },
        style: { fillColor: style.fillColor ?? DEFAULT_FILL_COLOR },
        position: { x: position?.x ?? 0, y: position?.y ?? 0, origin: "center", relativeTo: "canvas_center" },
        geometry: { width: geometry?.width ?? 320, height: geometry?.height ?? 94, rotation: geometry?.rotation ?? 0 },
        appId: deps.options.clientId,
      });
      return { status: 201, body: toAppCardItem(item, board, deps) };
    }),
  );

  router.get(
    card,
    v2(deps, "GET /v2/boards/{board_id}/app_cards/{item_id}", ({ req, board }) => {
      const item = appCardOrThrow(deps.state, board, req.params.itemId);
      return { status: 200, body: toAppCardItem(item, board, deps) };
    }),
  );

  router.patch(
    card,
    v2(deps, "PATCH /v2/boards/{board_id}/app_cards/{item_id}", ({ req, grant, board }) => {
      const item = appCardOrThrow(deps.state, board, req.params.itemId);
      const body = readJsonBody(req, "PATCH", "/v2/boards/{board_id}/app_cards/{item_id}");
      const { data, style, position, geometry, parent } = body as AppCardChanges;
      checkAppCard(data ?? {}, style ?? {}, parent);
      const updated = deps.state.updateItem(board.id, item.id, grant.userId, {
        ...(data ? { data } : {}),
        ...(style?.fillColor ? { style: { fillColor: style.fillColor } } : {}),
        ...(position ? { position: { ...item.position, ...position } } : {}),
        ...(geometry ? { geometry: { ...item.geometry, ...geometry } } : {}),
      });
      if (!updated) throw miroErrors.notFound(`App card ${item.id} not found`);
      return { status: 200, body: toAppCardItem(updated, board, deps) };
    }),
  );

  router.delete(
    card,
    v2(deps, "DELETE /v2/boards/{board_id}/app_cards/{item_id}", ({ req, board }) => {
      const item = appCardOrThrow(deps.state, board, req.params.itemId);
      deps.state.deleteItem(board.id, item.id);
      return { status: 204 };
    }),
  );

  router.get(
    "/v2/boards/:boardId/items",
    v2(deps, "GET /v2/boards/{board_id}/items", ({ req, board }) => listItems(req, board, deps)),
  );
}

/** Wraps an operation in Miro's checks: token, credits, board access; and maps errors to Miro's body. */
function v2(deps: RestDeps, operation: RatedOperation, handle: (call: Call) => EmulatorReply): RouteHandler {
  const credits = CREDITS_PER_LEVEL[OPERATION_LEVELS[operation]];
  return (req) => {
    let rateHeaders: Record<string, string> = {};
    try {
      const grant = deps.oauth.authenticate(bearerToken(req));
      const decision = deps.limiter.charge(grant.userId, credits);
      rateHeaders = decision.headers;
      if (!decision.allowed) throw miroErrors.tooManyRequests(decision.headers);
      const board = accessibleBoardOrThrow(deps.state, grant, req.params.boardId ?? "");
      const reply = handle({ req, grant, board });
      return { ...reply, headers: { ...rateHeaders, ...reply.headers } };
    } catch (error) {
      if (!(error instanceof MiroHttpError)) throw error;
      const reply = error.toReply();
      return { ...reply, headers: { ...rateHeaders, ...reply.headers } };
    }
  };
}

/** A token reaches a board only if its user can open it and it belongs to the team the app was installed on. */
function accessibleBoardOrThrow(state: MiroState, grant: TokenGrant, boardId: string): Board {
  const board = state.boards.get(boardId);
  if (!board || board.teamId !== grant.teamId || !state.canAccess(grant.userId, boardId)) {
    throw miroErrors.notFound(`Board ${boardId} not found`);
  }
  return board;
}

function appCardOrThrow(state: MiroState, board: Board, itemId: string | undefined): BoardItem {
  const item = itemId ? state.getItem(board.id, itemId) : undefined;
  if (item?.type !== "app_card") throw miroErrors.notFound(`App card ${itemId} not found`);
  return item;
}

type AppCardChanges = {
  data?: { title?: string; description?: string; status?: string; fields?: Record<string, unknown>[] };
  style?: { fillColor?: string };
  position?: { x?: number; y?: number };
  geometry?: { width?: number; height?: number; rotation?: number };
  parent?: { id?: string };
};

/** Parses the JSON body and holds it to the operation's request schema. */
function readJsonBody(req: EmulatorRequest, method: string, template: string): Record<string, unknown> {
  if (req.body.length === 0) throw miroErrors.invalidParameters("Request body is required");
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString("utf8"));
  } catch {
    throw miroErrors.invalidParameters("Request body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw miroErrors.invalidParameters("Request body must be a JSON object");
  }
  const check = validateMiroRequest(method, template, { body });
  if (!check.ok) {
    const fields = check.problems.map(({ field, message }) => ({ field, message }));
    throw miroErrors.invalidParameters(
      `Invalid parameters: ${fields.map((f) => f.field || "body").join(", ")}`,
      fields,
    );
  }
  return body as Record<string, unknown>;
}

/** What the schema can't say but Miro's reference does: hex colours, HTTPS icons, an existing parent frame. */
function checkAppCard(
  data: NonNullable<AppCardChanges["data"]>,
  style: NonNullable<AppCardChanges["style"]>,
  parent?: { id?: string },
) {
  const problems: FieldProblem[] = [];
  if (style.fillColor !== undefined && !HEX_COLOR.test(style.fillColor)) {
    problems.push({ field: "style.fillColor", message: "must be a hex colour like #2d9bf0" });
  }
  (data.fields ?? []).forEach((field, i) => {
    for (const key of ["fillColor", "textColor"] as const) {
      const value = field[key];
      if (value !== undefined && !HEX_COLOR.test(String(value))) {
        problems.push({ field: `data.fields.${i}.${key}`, message: "must be a hex colour like #2d9bf0" });
      }
    }
    if (field.iconUrl !== undefined && !String(field.iconUrl).startsWith("https://")) {
      problems.push({ field: `data.fields.${i}.iconUrl`, message: "must be an HTTPS URL" });
    }
  });
  // The emulator's boards have no frames, so no parent can exist.
  if (parent?.id !== undefined) problems.push({ field: "parent.id", message: "no frame with this id on the board" });
  if (problems.length > 0) {
    throw miroErrors.invalidParameters(`Invalid parameters: ${problems.map((p) => p.field).join(", ")}`, problems);
  }
}

/** `GET /v2/boards/{board_id}/items`: cursor pages of `limit` (10–50, default 10) items, optionally of one type. */
function listItems(req: EmulatorRequest, board: Board, deps: RestDeps): EmulatorReply {
  const query = req.url.searchParams;
  const problems: FieldProblem[] = [];
  const limitText = query.get("limit") ?? "10";
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 10 || limit > 50) {
    problems.push({ field: "limit", message: "must be a number between 10 and 50" });
  }
  const type = query.get("type") ?? undefined;
  if (type !== undefined && !ITEM_TYPES.has(type)) problems.push({ field: "type", message: "is not an item type" });
  const cursor = query.get("cursor") || undefined;
  const start = cursor === undefined ? 0 : decodeCursor(cursor);
  if (start === undefined) problems.push({ field: "cursor", message: "is not a cursor this API returned" });
  if (problems.length > 0) {
    throw miroErrors.invalidParameters(`Invalid parameters: ${problems.map((p) => p.field).join(", ")}`, problems);
  }

  const items = deps.state.listItems(board.id, type as ItemType | undefined);
  const page = items.slice(start, (start ?? 0) + limit);
  const nextStart = (start ?? 0) + page.length;
  const base = `${deps.baseUrl()}/v2/boards/${board.id}/items`;
  const link = (c?: string) => {
    const params = new URLSearchParams({ limit: String(limit) });
    if (type) params.set("type", type);
    params.set("cursor", c ?? "");
    return `${base}?${params}`;
  };
  const next = nextStart < items.length ? encodeCursor(nextStart) : undefined;
  return {
    status: 200,
    body: {
      data: page.map((item) => toGenericItem(item, deps)),
      total: items.length,
      size: page.length,
      limit,
      ...(next ? { cursor: next } : {}),
      links: { self: link(cursor), ...(next ? { next: link(next) } : {}) },
    },
  };
}

/** Opaque to clients, like Miro's: the offset of the next page. */
function encodeCursor(offset: number) {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  return match ? Number(match[1]) : undefined;
}

/** The spec's `AppCardItem`. `owned` says whether the calling app created the card. */
export function toAppCardItem(item: BoardItem, board: Board, deps: Pick<RestDeps, "options" | "baseUrl">) {
  return {
    id: item.id,
    type: "app_card" as const,
    data: appCardData(item, deps.options.clientId),
    style: { fillColor: String(item.style.fillColor ?? item.style.cardTheme ?? DEFAULT_FILL_COLOR) },
    position: item.position,
    geometry: item.geometry,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
    modifiedAt: item.modifiedAt,
    modifiedBy: item.modifiedBy,
    links: { self: `${deps.baseUrl()}/v2/boards/${board.id}/app_cards/${item.id}` },
  };
}

/** The spec's `GenericItem` (which has no `style` and no `links`). */
function toGenericItem(item: BoardItem, deps: Pick<RestDeps, "options">) {
  const data =
    item.type === "app_card" ? appCardData(item, deps.options.clientId) : pick(item.data, ["content", "shape"]);
  return {
    id: item.id,
    type: item.type,
    data,
    position: item.position,
    geometry: item.geometry,
    createdAt: item.createdAt,
    createdBy: item.createdBy,
    modifiedAt: item.modifiedAt,
    modifiedBy: item.modifiedBy,
  };
}

const CUSTOM_FIELD_KEYS = ["value", "tooltip", "fillColor", "textColor", "iconUrl", "iconShape"];

/** Only what `AppCardData` lists: the board's SDK side may keep more on the item. */
function appCardData(item: BoardItem, clientId: string) {
  const data = item.data as AppCardChanges["data"] & Record<string, unknown>;
  return {
    ...pick(data, ["title", "description", "status"]),
    ...(Array.isArray(data.fields) ? { fields: data.fields.map((field) => pick(field, CUSTOM_FIELD_KEYS)) } : {}),
    owned: item.appId === clientId,
  };
}

function pick(source: Record<string, unknown>, keys: string[]) {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
