"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import styles from "./panel.module.css";
import { type Me, PanelApiError, panelFetch } from "./panel-api";

type View =
  | { kind: "loading" }
  | { kind: "not-installed" }
  | { kind: "error"; message: string }
  | { kind: "ready"; me: Me };

/**
 * The side panel: who you are on the board, and your connections. Importing issues and linking
 * cards build on this once both accounts are connected.
 */
export function Panel() {
  const [view, setView] = useState<View>({ kind: "loading" });
  const [boardUser, setBoardUser] = useState<string>();
  const [tokenReceived, setTokenReceived] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [confirmUninstall, setConfirmUninstall] = useState(false);
  const popup = useRef<Window | null>(null);
  const githubTicket = useRef<string | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      const me = await panelFetch<Me>("/api/me");
      setView({ kind: "ready", me });
    } catch (error) {
      if (error instanceof PanelApiError && error.code === "miro_not_installed") setView({ kind: "not-installed" });
      else setView({ kind: "error", message: error instanceof Error ? error.message : "Something went wrong." });
    }
  }, []);

  useEffect(() => {
    miro.board
      .getUserInfo()
      .then((user) => setBoardUser(user.name))
      .catch(() => {});
    miro.board
      .getIdToken()
      .then((token) => setTokenReceived(token.split(".").length === 3))
      .catch(() => {});
    void refresh();
  }, [refresh]);

  // The popups (Miro authorization, GitHub sign-in) report back; re-read when they do or when we regain focus.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== window.location.origin) return;
      const data = event.data as { type?: string; ok?: boolean; code?: string } | undefined;
      if (data?.type !== "cardbridge:github-connect") return;
      const ticket = githubTicket.current;
      if (!data.ok || !data.code || !ticket) return void refresh();
      githubTicket.current = undefined;
      // Finish the link as ourselves: the ticket is ours, and the code came from the popup we opened.
      panelFetch("/api/github/link-tickets/complete", { method: "POST", body: JSON.stringify({ ticket, code: data.code }) })
        .catch((error: unknown) => setNotice(error instanceof Error ? error.message : "GitHub could not be connected."))
        .finally(() => void refresh());
    };
    const onFocus = () => void refresh();
    window.addEventListener("message", onMessage);
    window.addEventListener("focus", onFocus);
    return () => {
      window.removeEventListener("message", onMessage);
      window.removeEventListener("focus", onFocus);
    };
  }, [refresh]);

  /** Opens a popup at once (browsers block popups opened after an await), then points it at `url()`. */
  async function openPopup(url: () => Promise<string>, name: string) {
    const win = window.open("about:blank", name, "popup,width=520,height=720");
    popup.current = win;
    try {
      const target = await url();
      if (win) win.location.href = target;
      else window.open(target, name, "popup,width=520,height=720");
      watchPopup(win);
    } catch (error) {
      win?.close();
      setNotice(error instanceof Error ? error.message : "Could not start.");
    }
  }

  function watchPopup(win: Window | null) {
    if (!win) return;
    const timer = setInterval(() => {
      if (win.closed) {
        clearInterval(timer);
        void refresh();
      }
    }, 500);
  }

  async function run(label: string, action: () => Promise<unknown>) {
    setBusy(label);
    setNotice(undefined);
    try {
      await action();
      await refresh();
    } catch (error) {
      setNotice(error instanceof Error ? error.message : "Something went wrong.");
    } finally {
      setBusy(undefined);
    }
  }

  const connectMiro = () => openPopup(async () => "/api/miro/oauth/start", "cardbridge-miro");
  const connectGithub = () =>
    openPopup(
      async () => {
        const { url, ticket } = await panelFetch<{ url: string; ticket: string }>("/api/github/link-tickets", {
          method: "POST",
        });
        githubTicket.current = ticket;
        return url;
      },
      "cardbridge-github",
    );

  return (
    <section>
      {boardUser && (
        <p className="p-small" data-testid="miro-user">
          Signed in to Miro as <strong>{boardUser}</strong>
        </p>
      )}
      {tokenReceived && (
        <p className="p-small" data-testid="id-token-ok" hidden>
          Board identity token received.
        </p>
      )}

      {view.kind === "loading" && <p className="p-small">Checking your connections…</p>}

      {view.kind === "error" && (
        <div role="alert">
          <p className="p-small">{view.message}</p>
          <button type="button" className="button button-secondary button-small" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      )}

      {view.kind === "not-installed" && (
        <div>
          <p className="p-medium">Cardbridge isn&apos;t installed for you on this team yet.</p>
          <button type="button" className="button button-primary" onClick={connectMiro}>
            Install Cardbridge
          </button>
        </div>
      )}

      {view.kind === "ready" && (
        <>
          <div className={styles.account}>
            <div className={styles.accountHead}>
              <span className={styles.accountName}>Miro</span>
              <span className={`${styles.state} ${view.me.miro.needsReconnect ? styles.warn : styles.ok}`}>
                {view.me.miro.needsReconnect ? "Needs reconnecting" : "Installed"}
              </span>
            </div>
            <p className={`p-small ${styles.detail}`}>
              {view.me.miro.name ?? "You"}
              {view.me.miro.teamName ? ` · ${view.me.miro.teamName}` : ""}
            </p>
            {view.me.miro.needsReconnect && (
              <div role="alert">
                <p className={`p-small ${styles.detail}`}>
                  Cardbridge&apos;s access to Miro has expired. Reconnect to keep cards in sync.
                </p>
                <button type="button" className="button button-primary button-small" onClick={connectMiro}>
                  Reconnect Miro
                </button>
              </div>
            )}
          </div>

          <div className={styles.account}>
            <div className={styles.accountHead}>
              <span className={styles.accountName}>GitHub</span>
              {view.me.github.connected ? (
                <span className={`${styles.state} ${view.me.github.needsReconnect ? styles.warn : styles.ok}`}>
                  {view.me.github.needsReconnect ? "Needs reconnecting" : "Connected"}
                </span>
              ) : (
                <span className={styles.state}>Not connected</span>
              )}
            </div>
            {view.me.github.connected ? (
              <>
                <p className={`p-small ${styles.detail}`} data-testid="github-login">
                  Connected as <strong>@{view.me.github.login}</strong>
                </p>
                {view.me.github.needsReconnect && (
                  <p className={`p-small ${styles.detail}`} role="alert">
                    GitHub&apos;s authorization has expired. Connect again to keep editing issues.
                  </p>
                )}
                <div className="button-group">
                  {view.me.github.needsReconnect && (
                    <button type="button" className="button button-primary button-small" onClick={connectGithub}>
                      Connect GitHub again
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    disabled={busy !== undefined}
                    onClick={() => run("github", () => panelFetch("/api/github/account", { method: "DELETE" }))}
                  >
                    {busy === "github" ? "Disconnecting…" : "Disconnect GitHub"}
                  </button>
                </div>
              </>
            ) : (
              <>
                <p className={`p-small ${styles.detail}`}>
                  Connect GitHub to import issues and change them from their cards.
                </p>
                <button type="button" className="button button-primary button-small" onClick={connectGithub}>
                  Connect GitHub
                </button>
              </>
            )}
          </div>

          <div className={styles.footer}>
            {confirmUninstall ? (
              <div role="alertdialog" aria-label="Uninstall Cardbridge">
                <p className={`p-small ${styles.detail}`}>
                  Uninstall Cardbridge for you on this team? Cards you linked keep syncing through teammates; if this is your last team, your GitHub connection is removed too.
                </p>
                <div className="button-group">
                  <button
                    type="button"
                    className="button button-danger button-small"
                    disabled={busy !== undefined}
                    onClick={() =>
                      void run("uninstall", () => panelFetch("/api/miro/installation", { method: "DELETE" })).then(() =>
                        setConfirmUninstall(false),
                      )
                    }
                  >
                    {busy === "uninstall" ? "Uninstalling…" : "Uninstall"}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    onClick={() => setConfirmUninstall(false)}
                  >
                    Cancel
                  </button>
                </div>
              </div>
            ) : (
              <button
                type="button"
                className="button button-tertiary button-small"
                onClick={() => setConfirmUninstall(true)}
              >
                Uninstall Cardbridge
              </button>
            )}
          </div>
        </>
      )}

      {notice && (
        <p className={`p-small ${styles.notice}`} role="alert">
          {notice}
        </p>
      )}
    </section>
  );
}
