"use client";

import { useEffect } from "react";

/** Tells the panel that opened this popup how it went, then closes (the panel re-reads /api/me). */
export function ConnectDone({ ok, message }: { ok: boolean; message: string }) {
  useEffect(() => {
    window.opener?.postMessage({ type: "cardbridge:github-connect", ok }, window.location.origin);
    if (!ok) return;
    const timer = setTimeout(() => window.close(), 1500);
    return () => clearTimeout(timer);
  }, [ok]);
  return (
    <main style={{ padding: 32, maxWidth: 420, margin: "0 auto" }}>
      <h1 className="h3">{ok ? "GitHub connected" : "GitHub was not connected"}</h1>
      <p className="p-medium" role={ok ? "status" : "alert"}>
        {message}
      </p>
    </main>
  );
}
