import { getDb } from "../db/client";
import type { MiroIdentity } from "../miro/verify-id-token";

/** What the panel shows about who you are and what is connected (GET /api/me). No token leaves here. */
export type Me = {
  miro: { userId: string; teamId: string; name: string | null; teamName: string | null; needsReconnect: boolean };
  github: { connected: false } | { connected: true; login: string; needsReconnect: boolean };
};

export async function describeUser({ userId, teamId }: MiroIdentity): Promise<Me> {
  const db = await getDb();
  const [user, team, token, github] = await Promise.all([
    db.miroUser.findUnique({ where: { id: userId }, select: { name: true } }),
    db.miroTeam.findUnique({ where: { id: teamId }, select: { name: true } }),
    db.miroToken.findUnique({ where: { userId_teamId: { userId, teamId } }, select: { needsReconnect: true } }),
    db.githubAccount.findUnique({ where: { miroUserId: userId }, select: { login: true, needsReconnect: true } }),
  ]);
  return {
    miro: {
      userId,
      teamId,
      name: user?.name ?? null,
      teamName: team?.name ?? null,
      needsReconnect: token?.needsReconnect ?? false,
    },
    github: github ? { connected: true, login: github.login, needsReconnect: github.needsReconnect } : { connected: false },
  };
}
