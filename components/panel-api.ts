"use client";

/**
 * The panel's calls to our API: every request carries the board's id token (no cookies inside
 * Miro's iframe), and errors come back as the API's `{error: {code, message}}`.
 */
export class PanelApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "PanelApiError";
  }
}

export async function panelFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  const token = await miro.board.getIdToken();
  const headers = new Headers(init.headers);
  headers.set("authorization", `Bearer ${token}`);
  if (init.body && !headers.has("content-type")) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, cache: "no-store" });
  } catch {
    throw new PanelApiError(0, "network", "Cardbridge's server can't be reached. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
  if (!response.ok) {
    throw new PanelApiError(
      response.status,
      body?.error?.code ?? "unknown",
      body?.error?.message ?? `The server answered ${response.status}.`,
    );
  }
  return body as T;
}

export type Me = {
  miro: { userId: string; teamId: string; name: string | null; teamName: string | null; needsReconnect: boolean };
  github: { connected: false } | { connected: true; login: string; needsReconnect: boolean };
};
