import type { Router } from "../shared/router";
import type { MiroState } from "./state";

/** What every part of the Miro emulator (REST, OAuth, board, SDK stand-in) shares. */
export type MiroEmulatorOptions = {
  /** The app registered with this emulated Miro. */
  clientId: string;
  clientSecret: string;
  /** The app's redirect URI "for SDK authorization" (e.g. http://localhost:3000/api/miro/oauth/callback). */
  redirectUri: string;
  /** The app's base URL: the board frames `${appUrl}/panel`, `${appUrl}/headless` (headless page) and modals. */
  appUrl: string;
  /** Issue expiring tokens (access 3599 s, refresh 60 days, rotated on refresh). Default true. */
  expiringTokens?: boolean;
  /** Credits per user per minute. Default 100,000. */
  creditsPerMinute?: number;
};

export type MiroEmulatorContext = {
  state: MiroState;
  options: Required<MiroEmulatorOptions>;
  /** The emulator's own base URL once listening (e.g. http://127.0.0.1:3010). */
  baseUrl(): string;
  oauth: {
    /** A single-use authorization code (valid 10 minutes) for a user installing the app on a team. */
    issueCode(userId: string, teamId: string): string;
  };
};

export type MountFn = (router: Router, context: MiroEmulatorContext) => void;
