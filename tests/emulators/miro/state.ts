import { randomBytes, randomInt } from "node:crypto";
import { EventEmitter } from "node:events";

/**
 * The Miro emulator's world: users, teams, boards and their items, held in memory.
 * Both the REST API (rest.ts) and the sandbox board / SDK stand-in (board/, sdk/) read and change
 * it only through these methods, so a card changed through REST appears on the board live
 * (the `change` event) and a card created through the SDK is visible to REST.
 *
 * Shapes follow ../shared/specs/miro-openapi.json: ids are 19-digit strings, board ids look like
 * `uXjV...=`, the REST API calls the card colour `style.fillColor` (the Web SDK `style.cardTheme`).
 */

export type MiroUser = { id: string; name: string; email: string };
export type MiroTeam = { id: string; name: string };

export type ItemType = "app_card" | "sticky_note";

export type BoardItem = {
  id: string;
  type: ItemType;
  data: Record<string, unknown>;
  style: Record<string, unknown>;
  position: { x: number; y: number; origin: "center"; relativeTo: "canvas_center" };
  geometry: { width: number; height?: number; rotation?: number };
  createdAt: string;
  createdBy: { id: string; type: "user" };
  modifiedAt: string;
  modifiedBy: { id: string; type: "user" };
  /** The app (client id) that created the item; app cards belong to their app. */
  appId?: string;
  /** Per-app metadata set through the Web SDK (`item.setMetadata`). */
  metadata: Record<string, Record<string, unknown>>;
};

export type Board = { id: string; name: string; teamId: string; members: Set<string>; items: Map<string, BoardItem> };

export type BoardChange = { boardId: string; kind: "created" | "updated" | "deleted"; item: BoardItem };

/** A 19-digit Miro id, as a string (never a JS number: it would lose precision). */
export function miroId(): string {
  return `3458764${String(randomInt(0, 1_000_000_000_000)).padStart(12, "0")}`;
}

/** A board id shaped like Miro's (`uXjVN...=`). */
export function boardId(): string {
  return `uXjV${randomBytes(6).toString("base64url").slice(0, 7)}=`;
}

export class MiroState {
  readonly users = new Map<string, MiroUser>();
  readonly teams = new Map<string, MiroTeam>();
  /** user id → team ids the user belongs to */
  readonly memberships = new Map<string, Set<string>>();
  readonly boards = new Map<string, Board>();
  readonly events = new EventEmitter();

  constructor() {
    this.events.setMaxListeners(0);
  }

  addUser(user: Partial<MiroUser> & { name: string }): MiroUser {
    const created: MiroUser = {
      id: user.id ?? miroId(),
      name: user.name,
      email: user.email ?? `${user.name.toLowerCase().replace(/\W+/g, ".")}@example.com`,
    };
    this.users.set(created.id, created);
    return created;
  }

  addTeam(team: Partial<MiroTeam> & { name: string }, memberIds: string[] = []): MiroTeam {
    const created: MiroTeam = { id: team.id ?? miroId(), name: team.name };
    this.teams.set(created.id, created);
    for (const userId of memberIds) this.addToTeam(userId, created.id);
    return created;
  }

  addToTeam(userId: string, teamId: string) {
    const teams = this.memberships.get(userId) ?? new Set<string>();
    teams.add(teamId);
    this.memberships.set(userId, teams);
  }

  addBoard(board: { id?: string; name: string; teamId: string; memberIds: string[] }): Board {
    const created: Board = {
      id: board.id ?? boardId(),
      name: board.name,
      teamId: board.teamId,
      members: new Set(board.memberIds),
      items: new Map(),
    };
    this.boards.set(created.id, created);
    return created;
  }

  /** Whether a user can reach a board (a token only reaches boards its user can access). */
  canAccess(userId: string, boardIdValue: string): boolean {
    return this.boards.get(boardIdValue)?.members.has(userId) ?? false;
  }

  getItem(boardIdValue: string, itemId: string): BoardItem | undefined {
    return this.boards.get(boardIdValue)?.items.get(itemId);
  }

  listItems(boardIdValue: string, type?: ItemType): BoardItem[] {
    const items = [...(this.boards.get(boardIdValue)?.items.values() ?? [])];
    return type ? items.filter((item) => item.type === type) : items;
  }

  createItem(
    boardIdValue: string,
    userId: string,
    item: Pick<BoardItem, "type" | "data" | "style"> & Partial<Pick<BoardItem, "position" | "geometry" | "appId">>,
  ): BoardItem {
    const board = this.boards.get(boardIdValue);
    if (!board) throw new Error(`No board ${boardIdValue}`);
    const now = new Date().toISOString();
    const created: BoardItem = {
      id: miroId(),
      type: item.type,
      data: item.data,
      style: item.style,
      position: item.position ?? { x: 0, y: 0, origin: "center", relativeTo: "canvas_center" },
      geometry: item.geometry ?? (item.type === "app_card" ? { width: 320, height: 94, rotation: 0 } : { width: 199, height: 228 }),
      createdAt: now,
      createdBy: { id: userId, type: "user" },
      modifiedAt: now,
      modifiedBy: { id: userId, type: "user" },
      appId: item.appId,
      metadata: {},
    };
    board.items.set(created.id, created);
    this.emit({ boardId: board.id, kind: "created", item: created });
    return created;
  }

  updateItem(
    boardIdValue: string,
    itemId: string,
    userId: string,
    change: Partial<Pick<BoardItem, "data" | "style" | "position" | "geometry" | "metadata">>,
  ): BoardItem | undefined {
    const item = this.getItem(boardIdValue, itemId);
    if (!item) return undefined;
    if (change.data) item.data = { ...item.data, ...change.data };
    if (change.style) item.style = { ...item.style, ...change.style };
    if (change.position) item.position = { ...item.position, ...change.position };
    if (change.geometry) item.geometry = { ...item.geometry, ...change.geometry };
    if (change.metadata) item.metadata = { ...item.metadata, ...change.metadata };
    item.modifiedAt = new Date().toISOString();
    item.modifiedBy = { id: userId, type: "user" };
    this.emit({ boardId: boardIdValue, kind: "updated", item });
    return item;
  }

  deleteItem(boardIdValue: string, itemId: string): boolean {
    const board = this.boards.get(boardIdValue);
    const item = board?.items.get(itemId);
    if (!board || !item) return false;
    board.items.delete(itemId);
    this.emit({ boardId: boardIdValue, kind: "deleted", item });
    return true;
  }

  onChange(listener: (change: BoardChange) => void): () => void {
    this.events.on("change", listener);
    return () => this.events.off("change", listener);
  }

  private emit(change: BoardChange) {
    this.events.emit("change", change);
  }
}
