import { z } from "zod";
import { env } from "../env";
import { ApiError } from "../http/api-error";
import { getMiroTokenContext, exchangeMiroCode, MiroOAuthError } from "./oauth-client";
import { consumeMiroOAuthState } from "./oauth-state";
import { saveMiroInstallation } from "./token-store";
import { miroRedirectUri, miroWebUrl } from "./web-url";

/**
 * Miro's install redirect ("Use this URI for SDK authorization"): Miro sends the browser here with
 * `code`, `client_id`, `team_id`, and `state` when we started the flow ourselves.
 * https://developers.miro.com/docs/getting-started-with-oauth
 */
export const installCallbackQuery = z.object({
  code: z.string({ message: "code is missing" }).min(1, "code is missing").max(2048),
  client_id: z.string({ message: "client_id is missing" }).min(1, "client_id is missing"),
  team_id: z.string({ message: "team_id is missing" }).regex(/^\d{1,25}$/, "team_id is not a Miro team id"),
  state: z.string().max(512).optional(),
});

export type InstallResult = { userId: string; teamId: string; redirectTo: string };

export async function completeMiroInstall(query: z.infer<typeof installCallbackQuery>): Promise<InstallResult> {
  if (query.client_id !== env().MIRO_CLIENT_ID) {
    throw new ApiError("bad_request", "This install link is for a different Miro app.");
  }
  if (query.state !== undefined && !(await consumeMiroOAuthState(query.state))) {
    throw new ApiError("bad_request", "This authorization link has expired or was already used. Start again from the board.");
  }
  let tokens: Awaited<ReturnType<typeof exchangeMiroCode>>;
  try {
    tokens = await exchangeMiroCode(query.code, miroRedirectUri());
  } catch (error) {
    if (error instanceof MiroOAuthError && error.permanent) {
      throw new ApiError(
        "bad_request",
        "Miro did not accept this authorization code (it may have expired or been used already). Install the app again from Miro.",
      );
    }
    throw error;
  }
  if (tokens.teamId !== query.team_id) {
    throw new ApiError("bad_request", "Miro authorized a different team than the one in the install link.");
  }
  // Names make the panel and operator views readable; an install still succeeds without them.
  const names = await getMiroTokenContext(tokens.accessToken).catch(() => ({}));
  await saveMiroInstallation(tokens, names);
  const completed = new URL(`${miroWebUrl()}/app-install-completed/`);
  completed.searchParams.set("client_id", query.client_id);
  completed.searchParams.set("team_id", tokens.teamId);
  return { userId: tokens.userId, teamId: tokens.teamId, redirectTo: completed.toString() };
}
