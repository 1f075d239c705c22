"use client";

import { useEffect, useState } from "react";

type Result = { ok: true; login: string; code: string } | { ok: false; message: string };

/**
 * The popup's last page. On success it hands the completion code to the panel that opened it (same
 * origin only); the panel finishes the link with its id token. Without that panel — a link opened
 * anywhere else — nothing gets linked.
 */
export function ConnectDone({ result }: { result: Result }) {
  const [orphan, setOrphan] = useState(false);
  useEffect(() => {
    const opener = window.opener as Window | null;
    if (!result.ok) {
      opener?.postMessage({ type: "cardbridge:github-connect", ok: false }, window.location.origin);
      return;
    }
    if (!opener) {
      setOrphan(true);
      return;
    }
    opener.postMessage({ type: "cardbridge:github-connect", ok: true, code: result.code }, window.location.origin);
    const timer = setTimeout(() => window.close(), 1500);
    return () => clearTimeout(timer);
  }, [result]);

  const title = result.ok && !orphan ? "Signed in to GitHub" : "GitHub was not connected";
  const message = !result.ok
    ? result.message
    : orphan
      ? "This window wasn't opened by the Cardbridge panel, so nothing was linked. Connect GitHub from the panel on your board."
      : `Signed in as @${result.login}. Finishing in the Cardbridge panel; this window closes by itself.`;
  return (
    <main style={{ padding: 32, maxWidth: 420, margin: "0 auto" }}>
      <h1 className="h3">{title}</h1>
      <p className="p-medium" role={result.ok && !orphan ? "status" : "alert"}>
        {message}
      </p>
    </main>
  );
}
