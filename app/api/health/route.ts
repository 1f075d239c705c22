import { pingDatabase } from "@/lib/db/ping";
import { withHandler } from "@/lib/http/with-handler";

export const dynamic = "force-dynamic";

// GET /api/health – liveness and database reachability, for operators and uptime checks
export const GET = withHandler(async () => {
  const up = await pingDatabase();
  return Response.json(
    { ok: up, database: up ? "up" : "down" },
    { status: up ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
