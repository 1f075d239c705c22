import { ApiError } from "../http/api-error";

/** The user's id token is valid but they never installed the app on this team (or uninstalled it). */
export function miroNotInstalled() {
  return new ApiError("miro_not_installed", "Cardbridge is not installed for you on this team. Install it to continue.");
}

/** Refreshing the user's Miro token failed for good: they must go through Miro's authorization again. */
export class MiroReconnectRequired extends ApiError {
  constructor() {
    super("miro_reconnect_required", "Your Miro authorization has expired or was revoked. Reconnect Cardbridge to Miro.");
    this.name = "MiroReconnectRequired";
  }
}
