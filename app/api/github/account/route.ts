import { disconnectGithub } from "@/lib/github/account-store";
import { withMiroUser } from "@/lib/http/with-miro-user";

export const dynamic = "force-dynamic";

// DELETE /api/github/account – "Disconnect GitHub": revoke the grant, delete the tokens
export const DELETE = withMiroUser(async ({ miro }) => {
  await disconnectGithub(miro.userId);
  return new Response(null, { status: 204 });
});
