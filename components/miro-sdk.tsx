"use client";

import Script from "next/script";
import { createContext, type ReactNode, useContext, useState } from "react";

/**
 * Loads Miro's Web SDK (MIRO_SDK_URL: miro.com in production, the emulator's stand-in in the
 * sandbox) and renders its children once `window.miro` is there.
 */
const SdkReady = createContext(false);

export function MiroSdk({ src, children, fallback }: { src: string; children: ReactNode; fallback?: ReactNode }) {
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <SdkReady.Provider value={ready}>
      <Script src={src} strategy="afterInteractive" onReady={() => setReady(true)} onError={() => setFailed(true)} />
      {failed ? (
        <p className="p-small" role="alert">
          Miro&apos;s SDK could not be loaded. Open Cardbridge from a Miro board.
        </p>
      ) : ready ? (
        children
      ) : (
        fallback
      )}
    </SdkReady.Provider>
  );
}

export function useMiroReady() {
  return useContext(SdkReady);
}
