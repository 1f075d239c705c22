import type { MiroEmulatorContext } from "../context";
import type { BoardItem } from "../state";
import {
  appCardChangeFromSdk,
  appCardFromSdk,
  SdkInputError,
  stickyNoteChangeFromSdk,
  stickyNoteFromSdk,
  toSdkItem,
} from "./item-mapping";
import type { Json, SdkCommands, ServerCommandName } from "./protocol";

/**
 * The Web SDK's item operations, run on the emulator's server against MiroState so the REST API
 * sees what the app does through the SDK (and the other way round). The board page forwards an
 * app frame's request here with the board user acting; the answer goes back to the frame.
 */

export class SdkCommandError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Miro caps an item's metadata per app (6 KB of JSON). */
const METADATA_LIMIT_BYTES = 6 * 1024;

export function runSdkCommand<C extends ServerCommandName>(
  context: MiroEmulatorContext,
  boardId: string,
  userId: string,
  command: C,
  payload: SdkCommands[C]["payload"],
): SdkCommands[C]["result"] {
  const { state, options } = context;
  const board = state.boards.get(boardId);
  if (!board) throw new SdkCommandError(404, `Board ${boardId} not found`);
  if (!board.members.has(userId)) throw new SdkCommandError(403, "The current user is not a member of this board");
  const clientId = options.clientId;
  const sdk = (item: BoardItem) => toSdkItem(item, clientId);
  const props = (payload ?? {}) as Record<string, unknown>;

  try {
    switch (command) {
      case "board.createAppCard": {
        const item = state.createItem(boardId, userId, { type: "app_card", ...appCardFromSdk(props), appId: clientId });
        return sdk(item) as SdkCommands[C]["result"];
      }
      case "board.createStickyNote": {
        const item = state.createItem(boardId, userId, { type: "sticky_note", ...stickyNoteFromSdk(props) });
        return sdk(item) as SdkCommands[C]["result"];
      }
      case "board.get": {
        const filter = props as SdkCommands["board.get"]["payload"] & object;
        return findItems(state.listItems(boardId), filter).map(sdk) as SdkCommands[C]["result"];
      }
      case "board.sync": {
        const item = itemOrThrow(context, boardId, props.id);
        if (props.type !== undefined && props.type !== item.type) {
          throw new SdkInputError(`Item ${item.id} is a ${item.type}, not a ${String(props.type)}`);
        }
        if (item.type === "app_card" && item.appId !== clientId) {
          throw new SdkCommandError(403, "An app can only change the app cards it created");
        }
        const change = item.type === "app_card" ? appCardChangeFromSdk(props) : stickyNoteChangeFromSdk(props);
        const updated = state.updateItem(boardId, item.id, userId, change) ?? item;
        return sdk(updated) as SdkCommands[C]["result"];
      }
      case "board.remove": {
        const item = itemOrThrow(context, boardId, props.id);
        state.deleteItem(boardId, item.id);
        return null as SdkCommands[C]["result"];
      }
      case "board.setMetadata": {
        const item = itemOrThrow(context, boardId, props.id);
        if (typeof props.key !== "string" || props.key === "")
          throw new SdkInputError("key must be a non-empty string");
        const next = { ...(item.metadata[clientId] ?? {}), [props.key]: (props.value ?? null) as Json };
        if (props.value === undefined) delete next[props.key];
        if (Buffer.byteLength(JSON.stringify(next)) > METADATA_LIMIT_BYTES) {
          throw new SdkInputError(`Metadata of an item can't exceed ${METADATA_LIMIT_BYTES} bytes`);
        }
        state.updateItem(boardId, item.id, userId, { metadata: { [clientId]: next } });
        return next as SdkCommands[C]["result"];
      }
      case "board.getMetadata": {
        const item = itemOrThrow(context, boardId, props.id);
        const metadata = (item.metadata[clientId] ?? {}) as Record<string, Json>;
        if (typeof props.key === "string") return (metadata[props.key] ?? null) as SdkCommands[C]["result"];
        return metadata as SdkCommands[C]["result"];
      }
      default:
        throw new SdkCommandError(400, `Unknown command ${String(command)}`);
    }
  } catch (error) {
    if (error instanceof SdkInputError) throw new SdkCommandError(400, error.message);
    throw error;
  }
}

function itemOrThrow(context: MiroEmulatorContext, boardId: string, id: unknown): BoardItem {
  if (typeof id !== "string") throw new SdkInputError("The item has no id: create it on the board first");
  const item = context.state.getItem(boardId, id);
  if (!item) throw new SdkCommandError(404, `Item ${id} not found on the board`);
  return item;
}

/** `miro.board.get(filter)`: by id(s), or by type(s); tags are not emulated (no item has one). */
function findItems(items: BoardItem[], filter: { id?: string | string[]; type?: string | string[]; tags?: unknown }) {
  if (filter.id !== undefined) {
    const ids = new Set(Array.isArray(filter.id) ? filter.id : [filter.id]);
    return items.filter((item) => ids.has(item.id));
  }
  if (filter.tags !== undefined) return [];
  if (filter.type !== undefined) {
    const types = new Set(Array.isArray(filter.type) ? filter.type : [filter.type]);
    return items.filter((item) => types.has(item.type));
  }
  return items;
}
