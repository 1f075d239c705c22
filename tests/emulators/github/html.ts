/** Server-rendered pages of the emulated github.com: escaping and one shared frame. */

export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
  body { font: 14px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: 12px 24px; font-weight: 600; }
  header a { color: #fff; text-decoration: none; }
  header small { font-weight: 400; opacity: .7; margin-left: 8px; }
  main { max-width: 880px; margin: 24px auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 24px; }
  h1 { font-size: 24px; font-weight: 400; margin: 0 0 8px; }
  h1 .number { color: #59636e; }
  label { display: block; font-weight: 600; margin: 12px 0 4px; }
  input[type=text], textarea, select { width: 100%; box-sizing: border-box; font: inherit; padding: 5px 8px; border: 1px solid #d0d7de; border-radius: 6px; }
  textarea { min-height: 140px; }
  button { font: inherit; padding: 5px 16px; border-radius: 6px; border: 1px solid #1f232826; background: #f6f8fa; cursor: pointer; margin: 4px 4px 4px 0; }
  button.primary { background: #1f883d; color: #fff; }
  button.danger { color: #d1242f; }
  .state { display: inline-block; border-radius: 2em; padding: 2px 12px; color: #fff; font-weight: 600; }
  .state.open { background: #1f883d; } .state.completed { background: #8250df; } .state.not_planned { background: #59636e; }
  .label { display: inline-block; border-radius: 2em; padding: 0 8px; font-size: 12px; font-weight: 600; margin-right: 4px; }
  .muted { color: #59636e; }
  .row { display: flex; gap: 24px; } .row > * { flex: 1; }
  .choices label { font-weight: 400; display: inline-flex; gap: 4px; margin-right: 12px; }
  table { border-collapse: collapse; width: 100%; } td { padding: 6px 4px; border-top: 1px solid #d0d7de; }
  .flash { background: #ddf4ff; border: 1px solid #54aeff66; border-radius: 6px; padding: 8px 12px; margin-bottom: 12px; }
  .error { background: #ffebe9; border-color: #ff818266; }
`;

export function page(
  title: string,
  content: string,
): { status?: number; headers: Record<string, string>; body: string } {
  return {
    headers: { "content-type": "text/html; charset=utf-8" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><header><a href="/">GitHub</a><small>emulator</small></header><main>${content}</main></body></html>`,
  };
}

/** Black or white text, whichever reads better on a label's colour. */
export function textColorOn(hex: string): string {
  const n = Number.parseInt(hex, 16);
  const luminance = (0.299 * ((n >> 16) & 255) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return luminance > 0.6 ? "#1f2328" : "#ffffff";
}
