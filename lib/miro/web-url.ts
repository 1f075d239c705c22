import { env } from "../env";

/**
 * Miro's web host (OAuth authorize page, install-completed page). Real Miro splits it from the API
 * host (miro.com vs api.miro.com); the emulator serves both on one host, so anything other than
 * the real API host is taken to be its own web host too.
 */
export function miroWebUrl(): string {
  const api = env().MIRO_API_URL;
  return api === "https://api.miro.com" ? "https://miro.com" : api;
}

/** The app's redirect URI "for SDK authorization", registered in the Miro app's settings. */
export function miroRedirectUri(): string {
  return `${env().APP_URL}/api/miro/oauth/callback`;
}
