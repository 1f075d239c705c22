"use client";

import { signIn } from "next-auth/react";
import { useEffect, useState } from "react";

export function GithubSignIn() {
  const [failed, setFailed] = useState(false);
  const start = () => {
    setFailed(false);
    signIn("github", { callbackUrl: "/connect/github/done" }).catch(() => setFailed(true));
  };
  useEffect(start, []);
  return (
    <>
      <p className="p-medium">Taking you to GitHub to authorize Cardbridge…</p>
      {failed && (
        <p className="p-small" role="alert">
          GitHub sign-in did not start.
        </p>
      )}
      <button type="button" className="button button-primary" onClick={start}>
        Continue to GitHub
      </button>
    </>
  );
}
