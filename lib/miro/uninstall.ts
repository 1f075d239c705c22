import { getDb } from "../db/client";
import { disconnectGithub } from "../github/account-store";
import { revokeMiroToken } from "./oauth-client";
import { deleteMiroInstallation } from "./token-store";
import type { MiroIdentity } from "./verify-id-token";

/**
 * Forgets a user's installation on a team: the tokens are deleted first (so nothing can use them
 * even if Miro is unreachable), then revoked at Miro. When it was the user's last installation,
 * their GitHub connection goes too: nothing of a user who left keeps a working token. The Miro
 * user row and the cards they linked stay: their links keep syncing through another installed
 * user with access to the board.
 */
export async function uninstallMiro({ userId, teamId }: MiroIdentity): Promise<void> {
  const accessToken = await deleteMiroInstallation(userId, teamId);
  if (accessToken) {
    await revokeMiroToken(accessToken).catch((error: unknown) => {
      console.warn(`[miro] revoke failed after uninstall (tokens already deleted): ${error instanceof Error ? error.message : error}`);
    });
  }
  const db = await getDb();
  if ((await db.miroToken.count({ where: { userId } })) === 0) await disconnectGithub(userId);
}
