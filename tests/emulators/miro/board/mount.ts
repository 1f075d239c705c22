import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";
import type { EmulatorReply, EmulatorRequest } from "../../shared/router";
import type { MiroEmulatorContext, MountFn } from "../context";
import { runSdkCommand, SdkCommandError } from "../sdk/commands";
import { STICKY_SIZE } from "../sdk/item-mapping";
import { SERVER_COMMANDS, type ServerCommandName } from "../sdk/protocol";
import { mountSdk } from "../sdk/serve";
import type { Board, BoardItem } from "../state";
import { bundleBrowserScript } from "./bundle-browser-script";
import { signIdToken } from "./id-token";
import { renderBoardPage, renderInstallCompletedPage, renderMessagePage } from "./page";
import { BOARD_COOKIE, type BoardPageConfig, USER_COOKIE } from "./page-config";

/**
 * The sandbox board (`/board`, `/board/:boardId`), its API for the page's script (`/board/api/...`),
 * the install round trip (`/board/install`, `/app-install-completed/`) and the SDK stand-in
 * (`/sdk/v2/miro.js`). Every change goes through MiroState, so REST and the board agree.
 */

// __dirname, not import.meta: tsx, vitest and Playwright all load this file, and Playwright's
// CommonJS loader refuses `import.meta`.
const BOARD_SCRIPT = path.join(__dirname, "client", "board-page.ts");
const BOARD_STYLES = path.join(__dirname, "client", "board.css");

/** The board to show at `/board`: the seeded "Sprint planning" board, else the first one. */
export const DEFAULT_BOARD_NAME = "Sprint planning";
export const APP_NAME = "Cardbridge";
/** Miro frames the app's "App URL" (its headless page, relative to the app's base URL) on every board. */
export const HEADLESS_PATH = "headless";

export const mountBoard: MountFn = (router, context) => {
  mountSdk(router);
  bundleBrowserScript(BOARD_SCRIPT).catch((error) =>
    console.error("[miro emulator] could not bundle the board page script:", error),
  );
  const boardCreatedAt = new WeakMap<Board, string>();
  const createdAt = (board: Board) => {
    let at = boardCreatedAt.get(board);
    if (!at) {
      at = new Date().toISOString();
      boardCreatedAt.set(board, at);
    }
    return at;
  };

  router.get("/board/static/board.js", async () => ({
    headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-store" },
    body: await bundleBrowserScript(BOARD_SCRIPT),
  }));
  router.get("/board/static/board.css", async () => ({
    headers: { "content-type": "text/css; charset=utf-8", "cache-control": "no-store" },
    body: await readFile(BOARD_STYLES, "utf8"),
  }));

  // Live updates: a snapshot, then every change of the board's items (from REST, the SDK or the page).
  router.get("/board/api/boards/:boardId/events", (req, res) => {
    const board = context.state.boards.get(req.params.boardId ?? "");
    if (!board) return miroError(404, "not_found", "Board not found");
    streamBoardEvents(context, board, req, res);
    return undefined;
  });

  // An app frame's item command, forwarded by the board page with the board user acting.
  router.post("/board/api/boards/:boardId/sdk", (req) => {
    const body = req.json<{ userId?: unknown; command?: unknown; payload?: unknown }>();
    if (typeof body?.userId !== "string" || !SERVER_COMMANDS.includes(body.command as ServerCommandName)) {
      return miroError(400, "invalid_parameters", "Expected {userId, command, payload} with a known command");
    }
    try {
      const result = runSdkCommand(
        context,
        req.params.boardId ?? "",
        body.userId,
        body.command as ServerCommandName,
        body.payload as never,
      );
      return { body: { result } };
    } catch (error) {
      if (error instanceof SdkCommandError) return miroError(error.status, "sdk_error", error.message);
      throw error;
    }
  });

  // `miro.board.getIdToken()`: signed here with the client secret, which never reaches the browser.
  router.post("/board/api/id-token", async (req) => {
    const body = req.json<{ boardId?: unknown; userId?: unknown }>();
    const board = context.state.boards.get(String(body?.boardId ?? ""));
    if (!board) return miroError(404, "not_found", "Board not found");
    const userId = String(body?.userId ?? "");
    if (!board.members.has(userId)) return miroError(403, "forbidden", "The user is not a member of this board");
    return { body: { token: await signIdToken(context, { userId, teamId: board.teamId }) } };
  });

  // What a person does on the board itself (not through the app): sticky notes, moving, deleting.
  router.post("/board/api/boards/:boardId/items", (req) => {
    const body = req.json<{ userId?: string; x?: number; y?: number; content?: string; fillColor?: string }>() ?? {};
    const found = memberBoard(context, req.params.boardId, body.userId);
    if ("error" in found) return found.error;
    const item = context.state.createItem(found.board.id, found.userId, {
      type: "sticky_note",
      data: { content: body.content ?? "", shape: "square" },
      style: { fillColor: body.fillColor ?? "light_yellow", textAlign: "center", textAlignVertical: "middle" },
      position: { x: Number(body.x) || 0, y: Number(body.y) || 0, origin: "center", relativeTo: "canvas_center" },
      geometry: { ...STICKY_SIZE },
    });
    return { status: 201, body: { item: publicItem(item) } };
  });
  router.patch("/board/api/boards/:boardId/items/:itemId", (req) => {
    const body = req.json<{ userId?: string; x?: number; y?: number; content?: string }>() ?? {};
    const found = memberBoard(context, req.params.boardId, body.userId);
    if ("error" in found) return found.error;
    const item = context.state.getItem(found.board.id, req.params.itemId ?? "");
    if (!item) return miroError(404, "not_found", "Item not found");
    const change: Parameters<typeof context.state.updateItem>[3] = {};
    if (typeof body.x === "number" && typeof body.y === "number") {
      change.position = { ...item.position, x: Math.round(body.x), y: Math.round(body.y) };
    }
    if (typeof body.content === "string" && item.type === "sticky_note") change.data = { content: body.content };
    const updated = context.state.updateItem(found.board.id, item.id, found.userId, change);
    return { body: { item: updated && publicItem(updated) } };
  });
  router.delete("/board/api/boards/:boardId/items/:itemId", (req) => {
    const found = memberBoard(context, req.params.boardId, req.url.searchParams.get("userId") ?? undefined);
    if ("error" in found) return found.error;
    if (!context.state.deleteItem(found.board.id, req.params.itemId ?? ""))
      return miroError(404, "not_found", "Item not found");
    return { status: 204 };
  });

  // "Install app": Miro's SDK authorization sends the browser to the app's redirect URI with a code.
  router.get("/board/install", (req) => {
    const board = context.state.boards.get(req.url.searchParams.get("boardId") ?? "");
    const userId = req.url.searchParams.get("userId") ?? "";
    if (!board?.members.has(userId)) {
      return htmlReply(404, renderMessagePage("Not found", "No such board or board member."));
    }
    const target = new URL(context.options.redirectUri);
    target.searchParams.set("code", context.oauth.issueCode(userId, board.teamId));
    target.searchParams.set("client_id", context.options.clientId);
    target.searchParams.set("team_id", board.teamId);
    return {
      status: 302,
      headers: {
        location: target.toString(),
        "set-cookie": [cookie(BOARD_COOKIE, board.id), cookie(USER_COOKIE, userId)],
        "cache-control": "no-store",
      },
    };
  });
  router.get("/app-install-completed", (req) => {
    const boardId = readCookie(req, BOARD_COOKIE);
    const boardHref = boardId && context.state.boards.has(boardId) ? `/board/${encodeURIComponent(boardId)}` : "/board";
    return htmlReply(
      200,
      renderInstallCompletedPage({
        clientId: req.url.searchParams.get("client_id") ?? undefined,
        teamId: req.url.searchParams.get("team_id") ?? undefined,
        boardHref,
      }),
    );
  });

  const showBoard = (req: EmulatorRequest, board: Board | undefined): EmulatorReply => {
    if (!board) {
      return htmlReply(
        404,
        renderMessagePage("No board", "The emulator has no such board. Seed it, then open /board."),
      );
    }
    const members = [...board.members].map((id) => context.state.users.get(id)).filter((user) => user !== undefined);
    const requested = req.url.searchParams.get("user") ?? readCookie(req, USER_COOKIE);
    const current = members.find((user) => user.id === requested) ?? members[0];
    if (!current) return htmlReply(409, renderMessagePage("Empty board", "This board has no members to act as."));
    const config: BoardPageConfig = {
      board: { id: board.id, name: board.name, teamId: board.teamId, createdAt: createdAt(board) },
      boards: [...context.state.boards.values()]
        .filter((other) => other.members.has(current.id))
        .map((other) => ({ id: other.id, name: other.name })),
      users: members.map(({ id, name, email }) => ({ id, name, email })),
      currentUserId: current.id,
      app: {
        name: APP_NAME,
        clientId: context.options.clientId,
        appUrl: context.options.appUrl,
        headlessUrl: new URL(HEADLESS_PATH, withSlash(context.options.appUrl)).toString(),
      },
      paths: {
        events: `/board/api/boards/${encodeURIComponent(board.id)}/events`,
        sdk: `/board/api/boards/${encodeURIComponent(board.id)}/sdk`,
        items: `/board/api/boards/${encodeURIComponent(board.id)}/items`,
        idToken: "/board/api/id-token",
        install: "/board/install",
      },
    };
    return {
      headers: {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-store",
        "set-cookie": [cookie(BOARD_COOKIE, board.id), cookie(USER_COOKIE, current.id)],
      },
      body: renderBoardPage(config),
    };
  };
  router.get("/board", (req) => showBoard(req, defaultBoard(context)));
  router.get("/board/:boardId", (req) => showBoard(req, context.state.boards.get(req.params.boardId ?? "")));
};

export function defaultBoard(context: MiroEmulatorContext): Board | undefined {
  const boards = [...context.state.boards.values()];
  return boards.find((board) => board.name === DEFAULT_BOARD_NAME) ?? boards[0];
}

function streamBoardEvents(context: MiroEmulatorContext, board: Board, req: EmulatorRequest, res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  res.write("retry: 1000\n\n");
  write("snapshot", { items: context.state.listItems(board.id).map(publicItem) });
  const unsubscribe = context.state.onChange((change) => {
    if (change.boardId === board.id) write("change", { kind: change.kind, item: publicItem(change.item) });
  });
  // Proxies and idle timers close silent streams; a comment line every 15 s keeps it open.
  const heartbeat = setInterval(() => res.write(": ping\n\n"), 15_000);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.raw.once("close", stop);
  res.once("close", stop);
}

/** An item as the board page sees it: everything but the apps' private metadata. */
function publicItem({ metadata: _metadata, ...item }: BoardItem): Omit<BoardItem, "metadata"> {
  return item;
}

function memberBoard(
  context: MiroEmulatorContext,
  boardId: string | undefined,
  userId: string | undefined,
): { board: Board; userId: string } | { error: EmulatorReply } {
  const board = context.state.boards.get(boardId ?? "");
  if (!board) return { error: miroError(404, "not_found", "Board not found") };
  if (!userId || !board.members.has(userId)) {
    return { error: miroError(403, "forbidden", "The user is not a member of this board") };
  }
  return { board, userId };
}

/** Miro's error body: {type: "error", status, code, message}. */
function miroError(status: number, code: string, message: string): EmulatorReply {
  return { status, body: { type: "error", status, code, message } };
}

function htmlReply(status: number, body: string): EmulatorReply {
  return { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }, body };
}

function cookie(name: string, value: string): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; SameSite=Lax; Max-Age=2592000`;
}

function readCookie(req: EmulatorRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
