/**
 * A small self-contained HTML page for the browser-facing ends of OAuth flows (install callback,
 * sign-in popups), where a JSON error would be unreadable to the person looking at it.
 */
export function htmlPage(
  { title, message, status = 200, script }: { title: string; message: string; status?: number; script?: string },
): Response {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Cardbridge</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#050038;background:#f7f7fa;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(5,0,56,.08);padding:32px 36px;max-width:460px}
h1{font-size:20px;margin:0 0 12px}p{line-height:1.5;margin:0}
</style></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></main>${script ? `<script>${script}</script>` : ""}</body></html>`;
  return new Response(body, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
    },
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
