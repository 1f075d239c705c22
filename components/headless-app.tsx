"use client";

import { useEffect } from "react";

/** Wires the board's events to the app: the toolbar icon opens the panel. */
export function HeadlessApp() {
  useEffect(() => {
    const openPanel = () => miro.board.ui.openPanel({ url: "/panel" });
    miro.board.ui.on("icon:click", openPanel);
    return () => {
      miro.board.ui.off("icon:click", openPanel);
    };
  }, []);
  return null;
}
