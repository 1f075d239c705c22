import { z } from "zod";
import { completeLink } from "@/lib/github/link-ticket";
import { readJson } from "@/lib/http/read-body";
import { withMiroUser } from "@/lib/http/with-miro-user";

export const dynamic = "force-dynamic";

const body = z.object({ ticket: z.string().min(1).max(200), code: z.string().min(1).max(200) });

// POST /api/github/link-tickets/complete – the panel finishes the link with the code its popup received
export const POST = withMiroUser(async ({ request, miro }) => {
  const { login } = await completeLink(miro, await readJson(request, body, 4096));
  return Response.json({ github: { connected: true, login } });
});
