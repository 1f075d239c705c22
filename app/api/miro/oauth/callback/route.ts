import { ZodError } from "zod";
import { ApiError } from "@/lib/http/api-error";
import { htmlPage } from "@/lib/http/html-page";
import { completeMiroInstall, installCallbackQuery } from "@/lib/miro/install";

export const dynamic = "force-dynamic";

// GET /api/miro/oauth/callback – Miro's install redirect: exchange the code, store the tokens, back to Miro
export async function GET(request: Request) {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  try {
    const result = await completeMiroInstall(installCallbackQuery.parse(query));
    return new Response(null, { status: 302, headers: { location: result.redirectTo, "cache-control": "no-store" } });
  } catch (error) {
    if (error instanceof ZodError) {
      return htmlPage({
        title: "Installation link incomplete",
        message: `${error.issues.map((i) => i.message).join("; ")}. Install Cardbridge again from Miro.`,
        status: 400,
      });
    }
    if (error instanceof ApiError) {
      return htmlPage({ title: "Cardbridge could not be installed", message: error.message, status: error.status });
    }
    console.error("[miro] install failed:", error instanceof Error ? error.message : String(error));
    return htmlPage({
      title: "Cardbridge could not be installed",
      message: "Something went wrong on our side. Nothing was saved; try installing again in a moment.",
      status: 500,
    });
  }
}
