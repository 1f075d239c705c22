import { APP_ICON, CLOSE_ICON, SELECT_ICON, STICKY_ICON } from "./client/icons";
import type { BoardPageConfig } from "./page-config";

/** The sandbox board's HTML shell; the script (client/board-page.ts) draws the items and hosts the app. */
export function renderBoardPage(config: BoardPageConfig): string {
  const current = config.users.find((user) => user.id === config.currentUserId);
  const userOptions = config.users
    .map(
      (user) =>
        `<option value="${attr(user.id)}"${user.id === config.currentUserId ? " selected" : ""}>${html(user.name)}</option>`,
    )
    .join("");
  const boardOptions = config.boards
    .map(
      (board) =>
        `<option value="${attr(board.id)}"${board.id === config.board.id ? " selected" : ""}>${html(board.name)}</option>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${html(config.board.name)} · Miro sandbox</title>
<link rel="icon" href="data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#ffd02f"/></svg>')}">
<link rel="stylesheet" href="/board/static/board.css">
</head>
<body>
<main id="canvas" class="canvas" tabindex="-1" aria-label="Board ${attr(config.board.name)}">
  <div id="world" class="world"></div>
</main>

<header class="bar bar--left">
  <span class="brand" aria-hidden="true">m</span>
  <span class="brand__label">Miro sandbox</span>
  <span class="bar__divider"></span>
  ${
    config.boards.length > 1
      ? `<select id="board-select" class="board-select" aria-label="Board">${boardOptions}</select>`
      : `<h1 class="board-name">${html(config.board.name)}</h1>`
  }
</header>

<header class="bar bar--right">
  <label class="user-switcher" title="Act as another board member">
    <span id="user-avatar" class="avatar" aria-hidden="true">${html(initials(current?.name ?? "?"))}</span>
    <span class="visually-hidden">Acting as</span>
    <select id="user-select" class="user-select" aria-label="Acting as">${userOptions}</select>
  </label>
  <button id="install-app" class="button button--primary" type="button">Install app</button>
</header>

<nav class="toolbar" aria-label="Tools">
  <button class="tool tool--active" type="button" title="Select" aria-label="Select">${SELECT_ICON}</button>
  <button id="tool-sticky" class="tool" type="button" title="Sticky note" aria-label="Add a sticky note">${STICKY_ICON}</button>
  <span class="toolbar__divider"></span>
  <button id="app-icon" class="tool tool--app" type="button" title="${attr(config.app.name)}" aria-label="${attr(config.app.name)}">${APP_ICON}</button>
</nav>

<aside id="panel" class="panel" hidden aria-label="${attr(config.app.name)} panel">
  <div class="panel__header">
    <span class="panel__icon">${APP_ICON}</span>
    <span class="panel__title">${html(config.app.name)}</span>
    <button id="panel-close" class="icon-button" type="button" aria-label="Close panel">${CLOSE_ICON}</button>
  </div>
  <div id="panel-body" class="panel__body"></div>
</aside>

<div id="modal-backdrop" class="modal-backdrop" hidden>
  <div id="modal" class="modal" role="dialog" aria-modal="true" aria-label="${attr(config.app.name)}">
    <button id="modal-close" class="icon-button modal__close" type="button" aria-label="Close">${CLOSE_ICON}</button>
    <div id="modal-body" class="modal__body"></div>
  </div>
</div>

<div class="zoom" role="group" aria-label="Zoom">
  <button id="zoom-out" class="icon-button" type="button" aria-label="Zoom out">−</button>
  <button id="zoom-fit" class="zoom__level" type="button" title="Fit to screen" aria-label="Fit to screen">100%</button>
  <button id="zoom-in" class="icon-button" type="button" aria-label="Zoom in">+</button>
</div>

<div id="toasts" class="toasts" role="status" aria-live="polite"></div>
<div id="drag-ghost" class="drag-ghost" hidden></div>
<iframe id="app-headless" class="headless-frame" title="${attr(config.app.name)} (headless)" aria-hidden="true" tabindex="-1"></iframe>

<script id="board-config" type="application/json">${json(config)}</script>
<script src="/board/static/board.js"></script>
</body>
</html>`;
}

/** Where the app sends the browser after an install (Miro's own page is https://miro.com/app-install-completed/). */
export function renderInstallCompletedPage(params: { clientId?: string; teamId?: string; boardHref: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>App installed · Miro sandbox</title>
<link rel="stylesheet" href="/board/static/board.css">
</head>
<body class="plain-page">
  <section class="notice">
    <span class="notice__icon">${APP_ICON}</span>
    <h1>Installed.</h1>
    <p>The app${params.clientId ? ` <code>${html(params.clientId)}</code>` : ""} is installed${
      params.teamId ? ` on team <code>${html(params.teamId)}</code>` : ""
    }.</p>
    <a class="button button--primary" href="${attr(params.boardHref)}">Back to board</a>
  </section>
</body>
</html>`;
}

export function renderMessagePage(title: string, message: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${html(title)} · Miro sandbox</title>
<link rel="stylesheet" href="/board/static/board.css"></head>
<body class="plain-page"><section class="notice"><h1>${html(title)}</h1><p>${html(message)}</p></section></body></html>`;
}

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}

function html(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const attr = html;

/** JSON inside a <script> element: `<` escaped so no `</script>` can end it early. */
function json(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
