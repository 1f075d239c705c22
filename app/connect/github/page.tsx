import { GithubSignIn } from "@/components/github-sign-in";

export const dynamic = "force-dynamic";

// The "Connect GitHub" popup: straight on to GitHub's sign-in (next-auth adds state and PKCE).
export default function ConnectGithubPage() {
  return (
    <main style={{ padding: 32, maxWidth: 420, margin: "0 auto" }}>
      <h1 className="h3">Connect GitHub</h1>
      <GithubSignIn />
    </main>
  );
}
