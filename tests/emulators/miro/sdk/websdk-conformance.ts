/**
 * Type-level test (checked by `tsc --noEmit`, nothing runs): the part of the Web SDK the stand-in
 * implements has the shapes @mirohq/websdk-types 2.17.2 declares. Each alias below fails to
 * compile if the stand-in drifts from the declared interface it claims to implement.
 *
 * Items are compared structurally: the SDK declares them as classes with a protected member, which
 * no object outside the SDK can be; `Pick` keeps the public properties and methods, which is what
 * an app can see and use.
 */
import type { AppCard, BoardUI, BoardViewport, Miro, Notifications, StickyNote } from "@mirohq/websdk-types";
import type { SandboxMiro, SdkAppCard, SdkStickyNote } from "./client/miro-sdk";

/** Compiles only when `Actual` can stand wherever `Declared` is expected. */
type Conforms<Actual extends Declared, Declared> = Actual;

/** A function that accepts whatever the declared one accepts and answers with `Result`. */
type Accepting<Declared extends (...args: never[]) => unknown, Result> = (...args: Parameters<Declared>) => Result;

type DeclaredBoard = Miro["board"];
type Board = SandboxMiro["board"];

/** What every item has, and what Cardbridge uses of it. */
type ItemMember =
  | "type"
  | "id"
  | "x"
  | "y"
  | "width"
  | "height"
  | "origin"
  | "relativeTo"
  | "parentId"
  | "createdAt"
  | "createdBy"
  | "modifiedAt"
  | "modifiedBy"
  | "tagIds"
  | "connectorIds"
  | "sync"
  | "getMetadata"
  | "setMetadata";

export type AppCardSubset = Pick<
  AppCard,
  ItemMember | "title" | "description" | "fields" | "status" | "style" | "rotation" | "owned"
>;
export type StickyNoteSubset = Pick<StickyNote, ItemMember | "content" | "shape" | "style">;

export type AppCardConforms = Conforms<SdkAppCard, AppCardSubset>;
export type StickyNoteConforms = Conforms<SdkStickyNote, StickyNoteSubset>;

// miro.board: methods without items in their answers match the declaration outright …
export type BoardConforms = Conforms<
  Pick<Board, "getIdToken" | "getUserInfo" | "getInfo">,
  Pick<DeclaredBoard, "getIdToken" | "getUserInfo" | "getInfo">
>;

// … and those with items accept the declared arguments and answer with the items' public shape.
export type CreateAppCardConforms = Conforms<
  Board["createAppCard"],
  Accepting<DeclaredBoard["createAppCard"], Promise<AppCardSubset>>
>;
export type CreateStickyNoteConforms = Conforms<
  Board["createStickyNote"],
  Accepting<DeclaredBoard["createStickyNote"], Promise<StickyNoteSubset>>
>;
export type GetConforms = Conforms<
  Board["get"],
  Accepting<DeclaredBoard["get"], Promise<(AppCardSubset | StickyNoteSubset)[]>>
>;
export type GetByIdConforms = Conforms<
  Board["getById"],
  Accepting<DeclaredBoard["getById"], Promise<AppCardSubset | StickyNoteSubset>>
>;
export type GetSelectionConforms = Conforms<
  Board["getSelection"],
  Accepting<DeclaredBoard["getSelection"], Promise<(AppCardSubset | StickyNoteSubset)[]>>
>;
export type RemoveConforms = Conforms<Board["remove"], Accepting<DeclaredBoard["remove"], Promise<void>>>;
export type SyncConforms = Conforms<Board["sync"], Accepting<DeclaredBoard["sync"], Promise<void>>>;
export type SetMetadataConforms = Conforms<Board["setMetadata"], DeclaredBoard["setMetadata"]>;
export type GetMetadataConforms = Conforms<Board["getMetadata"], DeclaredBoard["getMetadata"]>;

// miro.board.ui, notifications, viewport: the declared interfaces, narrowed to what is implemented.
export type UiConforms = Conforms<
  Board["ui"],
  Pick<
    BoardUI,
    | "openPanel"
    | "closePanel"
    | "getPanelData"
    | "canOpenPanel"
    | "openModal"
    | "closeModal"
    | "getModalData"
    | "canOpenModal"
    | "on"
    | "off"
  >
>;
export type NotificationsConforms = Conforms<
  Board["notifications"],
  Pick<Notifications, "showInfo" | "showError" | "show">
>;
export type ViewportConforms = Conforms<Board["viewport"], Pick<BoardViewport, "zoomTo">>;
