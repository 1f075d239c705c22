"use client";

import { useEffect, useState } from "react";

type Who = { name: string; tokenOk: boolean };

/** The panel: for now, who the board says you are; importing and linking cards come next. */
export function Panel() {
  const [who, setWho] = useState<Who | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    let cancelled = false;
    Promise.all([miro.board.getUserInfo(), miro.board.getIdToken()])
      .then(([user, token]) => {
        if (!cancelled) setWho({ name: user.name, tokenOk: token.split(".").length === 3 });
      })
      .catch((cause: unknown) => {
        if (!cancelled) setError(cause instanceof Error ? cause.message : "The board did not answer");
      });
    return () => {
      cancelled = true;
    };
  }, []);

  if (error) {
    return (
      <p className="p-small" role="alert">
        Could not reach the board: {error}
      </p>
    );
  }
  if (!who) return <p className="p-small">Connecting to the board…</p>;
  return (
    <section>
      <p className="p-medium" data-testid="miro-user">
        Signed in to Miro as <strong>{who.name}</strong>
      </p>
      {who.tokenOk && (
        <p className="p-small" data-testid="id-token-ok">
          Board identity token received.
        </p>
      )}
    </section>
  );
}
