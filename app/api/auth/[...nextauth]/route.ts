import NextAuth from "next-auth";
import { authOptions } from "@/lib/github/auth-options";

export const dynamic = "force-dynamic";

// GET, POST /api/auth/… – next-auth: the GitHub sign-in popup's OAuth dance (state + PKCE)
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
