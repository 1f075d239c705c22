import { getDb } from "../db/client";
import { miroNotInstalled } from "../miro/errors";
import { bearerToken, type MiroIdentity, verifyMiroIdToken } from "../miro/verify-id-token";
import { type Handler, withHandler } from "./with-handler";

export type MiroUserContext = { miro: MiroIdentity };

/**
 * Every panel and modal route: verifies the Miro id token (no cookies inside Miro's iframe) and
 * requires that this user installed the app on this team. The identity comes from the token only.
 * A valid token of a user who never installed is a 401 `miro_not_installed`: the panel offers to install.
 */
export function withMiroUser<Params = Record<string, string>>(handler: Handler<Params, MiroUserContext>) {
  return withHandler<Params, MiroUserContext>(handler, async (request) => {
    const miro = await verifyMiroIdToken(bearerToken(request));
    const db = await getDb();
    const installed = await db.miroToken.findUnique({
      where: { userId_teamId: { userId: miro.userId, teamId: miro.teamId } },
      select: { id: true },
    });
    if (!installed) throw miroNotInstalled();
    return { miro };
  });
}
