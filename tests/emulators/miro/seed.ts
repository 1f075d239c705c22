import type { BoardItem, MiroState } from "./state";

/**
 * The emulator's starting world, with fixed ids so tests, the sandbox and its README can name them:
 * team "Acme" with Alice and Bob, the shared board "Sprint planning", and a board only Alice can
 * open. Both boards carry a couple of sticky notes to turn into issues.
 */
export const SEED = {
  team: { id: "3458764500000000100", name: "Acme" },
  alice: { id: "3458764500000000201", name: "Alice Andersen", email: "alice@acme.example" },
  bob: { id: "3458764500000000202", name: "Bob Baker", email: "bob@acme.example" },
  /** Alice and Bob can both open it. */
  sprintBoard: { id: "uXjVSprnt01=", name: "Sprint planning" },
  /** Only Alice can open it. */
  aliceBoard: { id: "uXjVAlice01=", name: "Alice's roadmap" },
  stickies: {
    loginBug: "3458764500000000301",
    darkMode: "3458764500000000302",
    roadmapIdea: "3458764500000000303",
  },
} as const;

export function seedMiro(state: MiroState) {
  const { team, alice, bob, sprintBoard, aliceBoard, stickies } = SEED;
  state.addUser(alice);
  state.addUser(bob);
  state.addTeam(team, [alice.id, bob.id]);
  state.addBoard({ ...sprintBoard, teamId: team.id, memberIds: [alice.id, bob.id] });
  state.addBoard({ ...aliceBoard, teamId: team.id, memberIds: [alice.id] });

  placeSticky(state, sprintBoard.id, stickies.loginBug, alice.id, "Login fails on Safari", -220);
  placeSticky(state, sprintBoard.id, stickies.darkMode, bob.id, "Dark mode for the panel", 220);
  placeSticky(state, aliceBoard.id, stickies.roadmapIdea, alice.id, "Q3: offline mode", 0);
}

/**
 * Puts a sticky note with a known id on a board. `MiroState.createItem` always draws a fresh id,
 * so the seed places the item itself (and announces it, as createItem would).
 */
function placeSticky(state: MiroState, boardId: string, id: string, userId: string, content: string, x: number) {
  const board = state.boards.get(boardId);
  if (!board) throw new Error(`Seed: no board ${boardId}`);
  const now = new Date().toISOString();
  const item: BoardItem = {
    id,
    type: "sticky_note",
    data: { content, shape: "square" },
    style: { fillColor: "light_yellow", textAlign: "center", textAlignVertical: "middle" },
    position: { x, y: -300, origin: "center", relativeTo: "canvas_center" },
    geometry: { width: 199, height: 228 },
    createdAt: now,
    createdBy: { id: userId, type: "user" },
    modifiedAt: now,
    modifiedBy: { id: userId, type: "user" },
    metadata: {},
  };
  board.items.set(id, item);
  state.events.emit("change", { boardId, kind: "created", item });
}
