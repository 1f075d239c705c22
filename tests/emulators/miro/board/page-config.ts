/** What the board page's script is told by the server that renders it (JSON in the page). */
export type BoardPageConfig = {
  board: { id: string; name: string; teamId: string; createdAt: string };
  /** Other boards the current user can open. */
  boards: { id: string; name: string }[];
  /** The board's members: the people one can act as. */
  users: { id: string; name: string; email: string }[];
  currentUserId: string;
  app: {
    name: string;
    clientId: string;
    /** The app's base URL: panel and modal URLs resolve against it. */
    appUrl: string;
    /** Miro's "App URL": the headless page, always loaded in a hidden iframe. */
    headlessUrl: string;
  };
  paths: {
    events: string;
    sdk: string;
    items: string;
    idToken: string;
    install: string;
  };
};

/** Cookies the board page sets so the install round trip (and a reload) comes back as the same person. */
export const USER_COOKIE = "miro_sandbox_user";
export const BOARD_COOKIE = "miro_sandbox_board";
