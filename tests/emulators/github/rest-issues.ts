import type { EmulatorRequest } from "../shared/router";
import type { GithubEmulatorContext, MountFn } from "./context";
import { authenticate, guarded, jsonBody, paginate } from "./http";
import { GithubError, type Issue, type IssueChange, type Repo } from "./state";

/**
 * Issues REST endpoints (https://docs.github.com/en/rest/issues/issues) and issue search
 * (https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests).
 */

type IssueBody = {
  title?: unknown;
  body?: unknown;
  state?: unknown;
  state_reason?: unknown;
  labels?: unknown;
  assignees?: unknown;
  assignee?: unknown;
  milestone?: unknown;
};

function invalid(field: string, value: unknown, code = "invalid"): GithubError {
  return new GithubError(422, "Validation Failed", [{ value, resource: "Issue", field, code }]);
}

/** Turns a create/update body into a change, validating it the way GitHub does (422 with `errors`). */
function parseIssueBody(body: IssueBody, options: { create: boolean }): IssueChange {
  const change: IssueChange = {};
  if (body.title !== undefined && body.title !== null) {
    if (typeof body.title !== "string" && typeof body.title !== "number") throw invalid("title", body.title);
    change.title = String(body.title);
    if (change.title.trim() === "")
      throw new GithubError(422, "Validation Failed", [{ resource: "Issue", code: "missing_field", field: "title" }]);
  } else if (options.create) {
    throw new GithubError(422, "Validation Failed", [{ resource: "Issue", code: "missing_field", field: "title" }]);
  }
  if (body.body !== undefined) {
    if (body.body !== null && typeof body.body !== "string") throw invalid("body", body.body);
    change.body = body.body as string | null;
  }
  if (body.state !== undefined) {
    if (body.state !== "open" && body.state !== "closed") throw invalid("state", body.state);
    change.state = body.state;
  }
  if (body.state_reason !== undefined && body.state_reason !== null) {
    if (!["completed", "not_planned", "reopened", "duplicate"].includes(String(body.state_reason))) {
      throw invalid("state_reason", body.state_reason);
    }
    change.stateReason = body.state_reason as IssueChange["stateReason"];
  }
  if (body.labels !== undefined) {
    if (!Array.isArray(body.labels)) throw invalid("labels", body.labels);
    change.labels = body.labels.map((label) => {
      if (typeof label === "string") return label;
      if (label && typeof label === "object" && typeof (label as { name?: unknown }).name === "string")
        return (label as { name: string }).name;
      throw invalid("labels", label);
    });
  }
  if (body.assignees !== undefined) {
    if (!Array.isArray(body.assignees)) throw invalid("assignees", body.assignees);
    change.assignees = body.assignees.map((assignee) => {
      if (typeof assignee === "string") return assignee;
      if (assignee && typeof assignee === "object" && typeof (assignee as { login?: unknown }).login === "string") {
        return (assignee as { login: string }).login;
      }
      throw invalid("assignees", assignee);
    });
  } else if (body.assignee !== undefined) {
    // The closing-down singular `assignee` replaces the assignees with one user (or none for null).
    if (body.assignee !== null && typeof body.assignee !== "string") throw invalid("assignee", body.assignee);
    change.assignees = body.assignee ? [body.assignee] : [];
  }
  if (body.milestone !== undefined) {
    if (body.milestone === null) change.milestone = null;
    else {
      const number = typeof body.milestone === "number" ? body.milestone : Number.parseInt(String(body.milestone), 10);
      if (!Number.isInteger(number)) throw invalid("milestone", body.milestone);
      change.milestone = number;
    }
  }
  return change;
}

/** The issue at that number: 404 unknown, 410 deleted, 301 moved to where it was transferred. */
function issueOrThrow(context: GithubEmulatorContext, repo: Repo, numberParam: string): Issue {
  const number = Number.parseInt(numberParam, 10);
  const issue = Number.isInteger(number) ? context.state.issueByNumber(repo, number) : undefined;
  if (!issue)
    throw new GithubError(404, "Not Found", undefined, "https://docs.github.com/rest/issues/issues#get-an-issue");
  if (issue.deleted)
    throw new GithubError(
      410,
      "This issue was deleted",
      undefined,
      "https://docs.github.com/rest/issues/issues#get-an-issue",
    );
  if (issue.transferredTo) {
    const target = context.state.repoOrThrow(issue.transferredTo.repoId);
    throw new MovedError(`${context.shapes.repoApi(target)}/issues/${issue.transferredTo.number}`);
  }
  return issue;
}

class MovedError extends GithubError {
  constructor(readonly location: string) {
    super(301, "Moved Permanently");
  }
}

/** Issue list filters of `GET /repos/{owner}/{repo}/issues`. */
function listFilter(req: EmulatorRequest, context: GithubEmulatorContext, repo: Repo) {
  const q = req.url.searchParams;
  const state = q.get("state") ?? "open";
  if (!["open", "closed", "all"].includes(state)) {
    throw new GithubError(422, "Validation Failed", [
      { value: state, resource: "Issue", field: "state", code: "invalid" },
    ]);
  }
  const labels =
    q
      .get("labels")
      ?.split(",")
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean) ?? [];
  const assignee = q.get("assignee");
  const creator = q.get("creator");
  const milestone = q.get("milestone");
  const since = q.get("since");
  return (issue: Issue) => {
    if (state !== "all" && issue.state !== state) return false;
    if (labels.length) {
      const names = issue.labels.map((id) => context.state.label(repo, id)?.name.toLowerCase());
      if (!labels.every((l) => names.includes(l))) return false;
    }
    if (assignee === "none" && issue.assignees.length) return false;
    if (assignee === "*" && !issue.assignees.length) return false;
    if (
      assignee &&
      assignee !== "none" &&
      assignee !== "*" &&
      !issue.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase())
    )
      return false;
    if (creator && issue.user.toLowerCase() !== creator.toLowerCase()) return false;
    if (milestone === "none" && issue.milestone !== null) return false;
    if (milestone === "*" && issue.milestone === null) return false;
    if (milestone && milestone !== "none" && milestone !== "*" && issue.milestone !== Number.parseInt(milestone, 10))
      return false;
    if (since && Date.parse(issue.updatedAt) < Date.parse(since)) return false;
    return true;
  };
}

function sortIssues(issues: Issue[], sort: string, direction: string) {
  const key = (issue: Issue) =>
    sort === "updated"
      ? Date.parse(issue.updatedAt)
      : sort === "comments"
        ? issue.comments
        : Date.parse(issue.createdAt);
  const sign = direction === "asc" ? 1 : -1;
  // Ties (same second) fall back to the number, newest first, as GitHub's ids would order them.
  return issues.sort((a, b) => sign * (key(a) - key(b)) || sign * (a.number - b.number));
}

type SearchQuery = {
  repos: string[];
  owners: string[];
  kind?: "issue" | "pr";
  state?: "open" | "closed";
  labels: string[];
  assignee?: string;
  author?: string;
  no: string[];
  terms: string[];
};

/** Parses the subset of GitHub's issue search syntax the emulator supports; other qualifiers are ignored. */
export function parseSearchQuery(q: string): SearchQuery {
  const query: SearchQuery = { repos: [], owners: [], labels: [], no: [], terms: [] };
  const tokens = q.match(/(?:[^\s"]+:)?"[^"]*"|\S+/g) ?? [];
  for (const token of tokens) {
    const match = /^([a-z-]+):(.+)$/i.exec(token);
    const value = match?.[2]?.replace(/^"|"$/g, "");
    switch (match?.[1]?.toLowerCase()) {
      case "repo":
        query.repos.push(value!.toLowerCase());
        break;
      case "org":
      case "user":
        query.owners.push(value!.toLowerCase());
        break;
      case "is":
      case "type":
      case "state": {
        const v = value!.toLowerCase();
        if (v === "issue") query.kind = "issue";
        else if (v === "pr" || v === "pull-request") query.kind = "pr";
        else if (v === "open" || v === "closed") query.state = v;
        break;
      }
      case "label":
        query.labels.push(value!.toLowerCase());
        break;
      case "assignee":
        query.assignee = value!.toLowerCase();
        break;
      case "author":
        query.author = value!.toLowerCase();
        break;
      case "no":
        query.no.push(value!.toLowerCase());
        break;
      case "in":
      case "sort":
        break;
      default:
        query.terms.push(token.replace(/^"|"$/g, "").toLowerCase());
    }
  }
  return query;
}

export const mountIssues: MountFn = (router, context) => {
  const { state, shapes } = context;

  // GET /repos/{owner}/{repo}/issues: issues and pull requests, newest first, paginated.
  router.get("/repos/:owner/:repo/issues", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const filter = listFilter(req, context, repo);
      const issues = sortIssues(
        state.repoIssues(repo).filter(filter),
        req.url.searchParams.get("sort") ?? "created",
        req.url.searchParams.get("direction") ?? "desc",
      );
      const page = paginate(req, context.baseUrl(), issues);
      return { headers: page.headers, body: page.items.map((issue) => shapes.issue(issue)) };
    }),
  );

  // POST /repos/{owner}/{repo}/issues: anyone who can read may open an issue.
  router.post("/repos/:owner/:repo/issues", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const change = parseIssueBody(jsonBody<IssueBody>(req), { create: true });
      const issue = state.createIssue(repo, login, { ...change, title: change.title!, state: undefined });
      return {
        status: 201,
        headers: { location: `${shapes.repoApi(repo)}/issues/${issue.number}` },
        body: shapes.issue(issue, { detail: true }),
      };
    }),
  );

  router.get("/repos/:owner/:repo/issues/:number", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      try {
        return { body: shapes.issue(issueOrThrow(context, repo, req.params.number!), { detail: true }) };
      } catch (error) {
        if (error instanceof MovedError) {
          return {
            status: 301,
            headers: { location: error.location },
            body: {
              message: "Moved Permanently",
              url: error.location,
              documentation_url: "https://docs.github.com/rest/issues/issues#get-an-issue",
            },
          };
        }
        throw error;
      }
    }),
  );

  router.patch("/repos/:owner/:repo/issues/:number", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const issue = issueOrThrow(context, repo, req.params.number!);
      const change = parseIssueBody(jsonBody<IssueBody>(req), { create: false });
      state.updateIssue(issue, login, change);
      return { body: shapes.issue(issue, { detail: true }) };
    }),
  );

  // GET /search/issues: over every repository the token reaches.
  router.get("/search/issues", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const q = req.url.searchParams.get("q")?.trim() ?? "";
      if (!q) throw new GithubError(422, "Validation Failed", [{ resource: "Search", field: "q", code: "missing" }]);
      const query = parseSearchQuery(q);
      // User-to-server tokens of GitHub Apps must pick issues or pull requests (see the endpoint's docs).
      if (!query.kind) {
        throw new GithubError(422, "Validation Failed", [
          {
            message: "Query must include 'is:issue' or 'is:pull-request'",
            resource: "Search",
            field: "q",
            code: "invalid",
          },
        ]);
      }
      const reachable = [...state.repos.values()].filter((repo) => state.canRead(login, repo));
      for (const name of query.repos) {
        if (!reachable.some((repo) => `${repo.owner}/${repo.name}`.toLowerCase() === name)) {
          throw new GithubError(422, "Validation Failed", [
            {
              message:
                "The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.",
              resource: "Search",
              field: "q",
              code: "invalid",
            },
          ]);
        }
      }
      const scored: Array<{ issue: Issue; score: number }> = [];
      for (const repo of reachable) {
        const fullName = `${repo.owner}/${repo.name}`.toLowerCase();
        if (query.repos.length && !query.repos.includes(fullName)) continue;
        if (query.owners.length && !query.owners.includes(repo.owner.toLowerCase())) continue;
        for (const issue of state.repoIssues(repo)) {
          if (query.kind === "issue" && issue.pullRequest) continue;
          if (query.kind === "pr" && !issue.pullRequest) continue;
          if (query.state && issue.state !== query.state) continue;
          const labelNames = issue.labels.map((id) => state.label(repo, id)?.name.toLowerCase());
          if (!query.labels.every((l) => labelNames.includes(l))) continue;
          if (query.assignee && !issue.assignees.some((a) => a.toLowerCase() === query.assignee)) continue;
          if (query.author && issue.user.toLowerCase() !== query.author) continue;
          if (query.no.includes("label") && issue.labels.length) continue;
          if (query.no.includes("assignee") && issue.assignees.length) continue;
          if (query.no.includes("milestone") && issue.milestone !== null) continue;
          const title = issue.title.toLowerCase();
          const body = (issue.body ?? "").toLowerCase();
          if (!query.terms.every((t) => title.includes(t) || body.includes(t))) continue;
          // Title hits weigh more than body hits, a rough stand-in for GitHub's best-match ranking.
          const score =
            1 + query.terms.reduce((sum, t) => sum + (title.includes(t) ? 2 : 0) + (body.includes(t) ? 1 : 0), 0);
          scored.push({ issue, score });
        }
      }
      const sort = req.url.searchParams.get("sort");
      const order = req.url.searchParams.get("order") === "asc" ? 1 : -1;
      if (sort === "created" || sort === "updated" || sort === "comments") {
        const key = (i: Issue) =>
          sort === "comments" ? i.comments : Date.parse(sort === "created" ? i.createdAt : i.updatedAt);
        scored.sort((a, b) => order * (key(a.issue) - key(b.issue)) || b.issue.id - a.issue.id);
      } else {
        scored.sort(
          (a, b) =>
            b.score - a.score ||
            Date.parse(b.issue.updatedAt) - Date.parse(a.issue.updatedAt) ||
            b.issue.id - a.issue.id,
        );
      }
      // Search answers at most 1,000 results, whatever total_count says.
      const page = paginate(req, context.baseUrl(), scored, 1000);
      return {
        headers: page.headers,
        body: {
          total_count: scored.length,
          incomplete_results: false,
          items: page.items.map(({ issue, score }) => shapes.searchItem(issue, score)),
          // Required by the OpenAPI description, and kept after `items`: octokit.paginate takes the
          // first key left after total_count/incomplete_results as the list, so order matters.
          search_type: "lexical",
        },
      };
    }),
  );
};
