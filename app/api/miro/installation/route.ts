import { withMiroUser } from "@/lib/http/with-miro-user";
import { uninstallMiro } from "@/lib/miro/uninstall";

export const dynamic = "force-dynamic";

// DELETE /api/miro/installation – "Uninstall" from the panel: revoke the Miro token, delete it
export const DELETE = withMiroUser(async ({ miro }) => {
  await uninstallMiro(miro);
  return new Response(null, { status: 204 });
});
