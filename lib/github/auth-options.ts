import type { NextAuthOptions } from "next-auth";
import GithubProvider from "next-auth/providers/github";
import { cookies } from "next/headers";
import { env } from "../env";
import { ApiError } from "../http/api-error";
import { LINK_TICKET_COOKIE, parkGithubSignIn } from "./link-ticket";
import { tokenLifetimes } from "./oauth-client";

/**
 * next-auth runs the GitHub App's OAuth web flow (state and PKCE checks on). It is used for the
 * dance only: there is no next-auth session to speak of (the panel authenticates with Miro id
 * tokens); the sign-in callback parks the GitHub account, encrypted, on the link ticket the popup
 * carries in a cookie, and the panel completes the link (lib/github/link-ticket.ts).
 *
 * next-auth 4's GitHub provider hard-codes github.com and api.github.com (its userinfo also fetches
 * api.github.com/user/emails), so every URL is overridden from GITHUB_WEB_URL / GITHUB_API_URL.
 */
export function authOptions(): NextAuthOptions {
  const { GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET, GITHUB_API_URL, GITHUB_WEB_URL, NEXTAUTH_SECRET, NEXTAUTH_URL } = env();
  // next-auth reads its base URL from the process environment; our documented default is APP_URL.
  process.env.NEXTAUTH_URL ??= NEXTAUTH_URL;
  return {
    secret: NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 10 * 60 },
    pages: { signIn: "/connect/github", error: "/connect/github/done" },
    providers: [
      GithubProvider({
        clientId: GITHUB_CLIENT_ID,
        clientSecret: GITHUB_CLIENT_SECRET,
        checks: ["state", "pkce"],
        issuer: `${GITHUB_WEB_URL}/login/oauth`,
        // A GitHub App's permissions come from its settings, not from OAuth scopes.
        authorization: { url: `${GITHUB_WEB_URL}/login/oauth/authorize`, params: { scope: "" } },
        token: `${GITHUB_WEB_URL}/login/oauth/access_token`,
        userinfo: {
          url: `${GITHUB_API_URL}/user`,
          async request({ tokens }) {
            const response = await fetch(`${GITHUB_API_URL}/user`, {
              headers: {
                authorization: `Bearer ${tokens.access_token}`,
                accept: "application/vnd.github+json",
                "x-github-api-version": "2022-11-28",
              },
              signal: AbortSignal.timeout(15_000),
            });
            if (!response.ok) throw new Error(`GitHub /user answered HTTP ${response.status}`);
            return response.json();
          },
        },
        profile(profile) {
          return { id: String(profile.id), name: profile.name ?? profile.login, email: profile.email, image: profile.avatar_url };
        },
      }),
    ],
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "github" || !account.access_token || !profile) return false;
        const ticket = (await cookies()).get(LINK_TICKET_COOKIE)?.value;
        if (!ticket) return "/connect/github/done?error=NoTicket";
        const github = profile as unknown as { id: number | string; login: string };
        try {
          const code = await parkGithubSignIn(ticket, {
            githubUserId: String(github.id),
            login: github.login,
            accessToken: account.access_token,
            refreshToken: account.refresh_token,
            ...tokenLifetimes({
              expires_in: account.expires_at ? account.expires_at - Math.floor(Date.now() / 1000) : undefined,
              refresh_token_expires_in: numberOrUndefined(account.refresh_token_expires_in),
            }),
          });
          // A string sends the popup there without creating a next-auth session (we keep none).
          return `/connect/github/done?code=${encodeURIComponent(code)}`;
        } catch (error) {
          if (error instanceof ApiError) return "/connect/github/done?error=TicketInvalid";
          throw error;
        }
      },
    },
    logger: {
      // next-auth's default logger prints whole error objects, which can carry token responses.
      error: (code) => console.error(`[next-auth] ${code}`),
      warn: (code) => console.warn(`[next-auth] ${code}`),
      debug: () => {},
    },
  };
}

function numberOrUndefined(value: unknown): number | undefined {
  const number = Number(value);
  return Number.isFinite(number) && number > 0 ? number : undefined;
}
