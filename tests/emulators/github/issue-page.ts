import type { EmulatorReply, EmulatorRequest } from "../shared/router";
import type { GithubEmulatorContext, MountFn } from "./context";
import { escapeHtml, page, textColorOn } from "./html";
import { GithubError, type Issue, type IssueChange, type Repo } from "./state";

/**
 * A few server-rendered pages of the emulated github.com, so a person (or a browser test) can
 * change an issue "on GitHub" and watch the webhook reach the app: a home page listing
 * repositories, a repository's issue list, a new-issue form, and the issue page, where title,
 * body, state (close as completed / not planned, reopen), labels, assignees and milestone can be
 * edited, and the issue deleted or transferred. The page acts as a chosen user (`?as=login`,
 * default octocat) and goes through the same state methods as REST, so GitHub's permission rules
 * and the webhook deliveries are the same.
 */

type Flash = { kind: "info" | "error"; text: string };

function actingUser(context: GithubEmulatorContext, source: URLSearchParams): string {
  const login = source.get("as") ?? "octocat";
  return context.state.account(login)?.login ?? "octocat";
}

/** The web UI hides repositories the user cannot see behind a 404, like the API. */
function visibleRepo(context: GithubEmulatorContext, req: EmulatorRequest, login: string): Repo | undefined {
  const repo = context.state.repoByName(req.params.owner!, req.params.repo!);
  return repo && context.state.permission(login, repo) ? repo : undefined;
}

function notFound(): EmulatorReply {
  return { ...page("Page not found", "<h1>404</h1><p>This is not the web page you are looking for.</p>"), status: 404 };
}

function userPicker(context: GithubEmulatorContext, login: string, action: string) {
  const options = [...context.state.accounts.values()]
    .filter((a) => a.type === "User")
    .map(
      (a) =>
        `<option value="${escapeHtml(a.login)}"${a.login === login ? " selected" : ""}>${escapeHtml(a.login)}</option>`,
    )
    .join("");
  return `<form method="get" action="${escapeHtml(action)}" class="muted">Acting as
    <select name="as" onchange="this.form.submit()" style="width:auto">${options}</select>
    <noscript><button>Switch</button></noscript></form>`;
}

function stateBadge(issue: Issue) {
  if (issue.state === "open") return `<span class="state open">Open</span>`;
  const reason = issue.stateReason === "not_planned" ? "not_planned" : "completed";
  return `<span class="state ${reason}">Closed${reason === "not_planned" ? " as not planned" : ""}</span>`;
}

function labelChip(name: string, color: string) {
  return `<span class="label" style="background:#${escapeHtml(color)};color:${textColorOn(color)}">${escapeHtml(name)}</span>`;
}

function issueLink(repo: Repo, issue: Issue, login: string) {
  return `/${repo.owner}/${repo.name}/issues/${issue.number}?as=${encodeURIComponent(login)}`;
}

function renderIssue(
  context: GithubEmulatorContext,
  repo: Repo,
  issue: Issue,
  login: string,
  flash?: Flash,
): EmulatorReply {
  const { state } = context;
  const push = state.canPush(login, repo);
  const isAdmin = state.permission(login, repo) === "admin";
  const labels = repo.labels
    .map(
      (l) =>
        `<label><input type="checkbox" name="labels" value="${escapeHtml(l.name)}"${issue.labels.includes(l.id) ? " checked" : ""}>${labelChip(l.name, l.color)}</label>`,
    )
    .join("");
  const assignees = state
    .assignableUsers(repo)
    .map(
      (u) =>
        `<label><input type="checkbox" name="assignees" value="${escapeHtml(u.login)}"${issue.assignees.includes(u.login) ? " checked" : ""}>${escapeHtml(u.login)}</label>`,
    )
    .join("");
  const milestones = [`<option value="">No milestone</option>`]
    .concat(
      repo.milestones.map(
        (m) =>
          `<option value="${m.number}"${issue.milestone === m.number ? " selected" : ""}>${escapeHtml(m.title)}</option>`,
      ),
    )
    .join("");
  const others = [...state.repos.values()]
    .filter((r) => r.id !== repo.id && r.owner === repo.owner)
    .map((r) => `<option value="${escapeHtml(`${r.owner}/${r.name}`)}">${escapeHtml(`${r.owner}/${r.name}`)}</option>`)
    .join("");
  const stateButtons =
    issue.state === "open"
      ? `<button name="op" value="close_completed">Close as completed</button><button name="op" value="close_not_planned">Close as not planned</button>`
      : `<button name="op" value="reopen">Reopen issue</button>`;
  const action = `/${repo.owner}/${repo.name}/issues/${issue.number}`;
  const kind = issue.pullRequest ? "Pull request" : "Issue";
  return page(
    `${issue.title} · ${kind} #${issue.number} · ${repo.owner}/${repo.name}`,
    `${flash ? `<div class="flash${flash.kind === "error" ? " error" : ""}">${escapeHtml(flash.text)}</div>` : ""}
     <p class="muted"><a href="/${repo.owner}/${repo.name}/issues?as=${encodeURIComponent(login)}">${escapeHtml(`${repo.owner}/${repo.name}`)}</a></p>
     <h1>${escapeHtml(issue.title)} <span class="number">#${issue.number}</span></h1>
     <p>${stateBadge(issue)} <span class="muted">${escapeHtml(issue.user)} opened this ${kind.toLowerCase()} · updated ${escapeHtml(issue.updatedAt)}</span></p>
     ${userPicker(context, login, action)}
     <form method="post" action="${escapeHtml(action)}">
       <input type="hidden" name="as" value="${escapeHtml(login)}">
       <input type="hidden" name="fields" value="labels,assignees,milestone">
       <label for="title">Title</label><input type="text" id="title" name="title" value="${escapeHtml(issue.title)}">
       <label for="body">Description</label><textarea id="body" name="body">${escapeHtml(issue.body ?? "")}</textarea>
       <div class="row">
         <div><label>Labels</label><div class="choices">${labels || '<span class="muted">None yet</span>'}</div></div>
         <div><label>Assignees</label><div class="choices">${assignees || '<span class="muted">Nobody can be assigned</span>'}</div></div>
       </div>
       <label for="milestone">Milestone</label><select id="milestone" name="milestone">${milestones}</select>
       ${push ? "" : `<p class="muted">${escapeHtml(login)} has no push access: label, assignee and milestone changes are dropped, as on GitHub.</p>`}
       <p><button class="primary" name="op" value="save">Save</button>${stateButtons}</p>
     </form>
     ${
       isAdmin && !issue.pullRequest
         ? `<details><summary class="muted">Danger zone</summary>
            <form method="post" action="${escapeHtml(action)}"><input type="hidden" name="as" value="${escapeHtml(login)}">
              <p><select name="to" style="width:auto">${others}</select> <button name="op" value="transfer"${others ? "" : " disabled"}>Transfer issue</button></p>
              <p><button class="danger" name="op" value="delete">Delete issue</button></p>
            </form></details>`
         : ""
     }`,
  );
}

export const mountIssuePage: MountFn = (router, context) => {
  const { state } = context;

  // GET /: repositories and what to do with them.
  router.get("/", (req) => {
    const login = actingUser(context, req.url.searchParams);
    const rows = [...state.repos.values()]
      .filter((repo) => state.permission(login, repo))
      .map(
        (repo) =>
          `<tr><td><a href="/${repo.owner}/${repo.name}/issues?as=${encodeURIComponent(login)}">${escapeHtml(`${repo.owner}/${repo.name}`)}</a></td>
           <td class="muted">${repo.private ? "private" : "public"}${repo.installationId ? "" : " · app not installed"}</td>
           <td class="muted">${state.repoIssues(repo).filter((i) => i.state === "open").length} open</td></tr>`,
      )
      .join("");
    return page(
      "GitHub emulator",
      `<h1>GitHub emulator</h1>${userPicker(context, login, "/")}<table>${rows}</table>
       <p class="muted">Webhooks go to ${escapeHtml(context.webhooks.url ?? "nowhere (no webhook URL set)")}. Control API: <a href="/_emulator">/_emulator</a>.</p>`,
    );
  });

  router.get("/:owner/:repo/issues", (req) => {
    const login = actingUser(context, req.url.searchParams);
    const repo = visibleRepo(context, req, login);
    if (!repo) return notFound();
    const wanted = req.url.searchParams.get("state") === "closed" ? "closed" : "open";
    const rows = state
      .repoIssues(repo)
      .filter((i) => i.state === wanted)
      .sort((a, b) => b.number - a.number)
      .map((issue) => {
        const chips = issue.labels
          .map((id) => state.label(repo, id))
          .map((l) => (l ? labelChip(l.name, l.color) : ""))
          .join("");
        return `<tr><td>${issue.pullRequest ? "PR" : ""}</td><td><a href="${issueLink(repo, issue, login)}">${escapeHtml(issue.title)}</a> ${chips}</td>
                <td class="muted">#${issue.number}</td><td class="muted">${escapeHtml(issue.assignees.join(", "))}</td></tr>`;
      })
      .join("");
    const base = `/${repo.owner}/${repo.name}/issues?as=${encodeURIComponent(login)}`;
    return page(
      `Issues · ${repo.owner}/${repo.name}`,
      `<h1>${escapeHtml(`${repo.owner}/${repo.name}`)}</h1>${userPicker(context, login, `/${repo.owner}/${repo.name}/issues`)}
       <p><a href="${base}&state=open">Open</a> · <a href="${base}&state=closed">Closed</a> ·
          <a href="/${repo.owner}/${repo.name}/issues/new?as=${encodeURIComponent(login)}">New issue</a></p>
       <table>${rows || '<tr><td class="muted">No issues</td></tr>'}</table>`,
    );
  });

  router.get("/:owner/:repo/issues/new", (req) => {
    const login = actingUser(context, req.url.searchParams);
    const repo = visibleRepo(context, req, login);
    if (!repo) return notFound();
    return page(
      `New issue · ${repo.owner}/${repo.name}`,
      `<h1>New issue in ${escapeHtml(`${repo.owner}/${repo.name}`)}</h1><p class="muted">as ${escapeHtml(login)}</p>
       <form method="post" action="/${repo.owner}/${repo.name}/issues">
         <input type="hidden" name="as" value="${escapeHtml(login)}">
         <label for="title">Title</label><input type="text" id="title" name="title" required>
         <label for="body">Description</label><textarea id="body" name="body"></textarea>
         <p><button class="primary">Submit new issue</button></p>
       </form>`,
    );
  });

  router.post("/:owner/:repo/issues", (req) => {
    const form = req.form();
    const login = actingUser(context, form);
    const repo = visibleRepo(context, req, login);
    if (!repo) return notFound();
    const title = form.get("title")?.trim();
    if (!title) return { ...page("Error", "<h1>A title is required</h1>"), status: 422 };
    const issue = state.createIssue(repo, login, { title, body: form.get("body") || null });
    return { status: 303, headers: { location: issueLink(repo, issue, login) } };
  });

  // Pull requests' html_url points here; the issue page shows them too.
  router.get("/:owner/:repo/pull/:number", (req) => ({
    status: 302,
    headers: { location: `/${req.params.owner}/${req.params.repo}/issues/${req.params.number}${req.url.search}` },
  }));

  router.get("/:owner/:repo/issues/:number", (req) => {
    const login = actingUser(context, req.url.searchParams);
    const repo = visibleRepo(context, req, login);
    const issue = repo ? state.issueByNumber(repo, Number(req.params.number)) : undefined;
    if (!repo || !issue || issue.deleted) return notFound();
    if (issue.transferredTo) {
      const target = state.repoOrThrow(issue.transferredTo.repoId);
      return {
        status: 301,
        headers: {
          location: `/${target.owner}/${target.name}/issues/${issue.transferredTo.number}?as=${encodeURIComponent(login)}`,
        },
      };
    }
    const flashText = req.url.searchParams.get("flash");
    const flash: Flash | undefined = flashText
      ? { kind: req.url.searchParams.get("error") ? "error" : "info", text: flashText }
      : undefined;
    return renderIssue(context, repo, issue, login, flash);
  });

  // POST /{owner}/{repo}/issues/{number}: the issue form (save, close, reopen, delete, transfer).
  router.post("/:owner/:repo/issues/:number", (req) => {
    const form = req.form();
    const login = actingUser(context, form);
    const repo = visibleRepo(context, req, login);
    const issue = repo ? state.issueByNumber(repo, Number(req.params.number)) : undefined;
    if (!repo || !issue || issue.deleted || issue.transferredTo) return notFound();
    const back = (text: string, error = false) => ({
      status: 303,
      headers: {
        location: `${issueLink(repo, issue, login)}&flash=${encodeURIComponent(text)}${error ? "&error=1" : ""}`,
      },
    });
    const op = form.get("op") ?? "save";
    try {
      if (op === "delete") {
        state.deleteIssue(issue, login);
        return {
          status: 303,
          headers: { location: `/${repo.owner}/${repo.name}/issues?as=${encodeURIComponent(login)}` },
        };
      }
      if (op === "transfer") {
        const [owner, name] = (form.get("to") ?? "").split("/");
        const target = owner && name ? state.repoByName(owner, name) : undefined;
        if (!target) return back("Choose a repository to transfer to", true);
        const moved = state.transferIssue(issue, login, target);
        return { status: 303, headers: { location: issueLink(target, moved, login) } };
      }
      const change: IssueChange = {};
      const title = form.get("title");
      if (title !== null) change.title = title;
      const body = form.get("body");
      if (body !== null) change.body = body.replaceAll("\r\n", "\n") || null;
      // Unchecked checkboxes send nothing, so `fields` says which lists the form carried.
      if (form.get("fields")?.includes("labels")) change.labels = form.getAll("labels");
      if (form.get("fields")?.includes("assignees")) change.assignees = form.getAll("assignees");
      if (form.get("fields")?.includes("milestone"))
        change.milestone = form.get("milestone") ? Number(form.get("milestone")) : null;
      if (op === "close_completed") Object.assign(change, { state: "closed", stateReason: "completed" });
      if (op === "close_not_planned") Object.assign(change, { state: "closed", stateReason: "not_planned" });
      if (op === "reopen") change.state = "open";
      const { events } = state.updateIssue(issue, login, change);
      return back(events.length ? `Saved: ${events.map((e) => e.action).join(", ")}` : "Nothing changed");
    } catch (error) {
      if (error instanceof GithubError)
        return back(error.errors ? `${error.message}: ${JSON.stringify(error.errors)}` : error.message, true);
      throw error;
    }
  });
};
