import { describeUser } from "@/lib/accounts/describe-user";
import { withMiroUser } from "@/lib/http/with-miro-user";

export const dynamic = "force-dynamic";

// GET /api/me – who the panel's user is, and whether Miro and GitHub are connected (and as whom)
export const GET = withMiroUser(async ({ miro }) => Response.json(await describeUser(miro)));
