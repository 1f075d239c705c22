import type { MountFn } from "./context";
import { authenticate, guarded, paginate } from "./http";
import { GithubError } from "./state";

/**
 * The signed-in user, the app installations they reach, and the repository endpoints the app
 * reads: repository, labels, assignees, milestones.
 * https://docs.github.com/en/rest/users/users#get-the-authenticated-user
 * https://docs.github.com/en/rest/apps/installations#list-app-installations-accessible-to-the-user-access-token
 * https://docs.github.com/en/rest/issues/labels#list-labels-for-a-repository
 * https://docs.github.com/en/rest/issues/assignees#list-assignees
 * https://docs.github.com/en/rest/issues/milestones#list-milestones
 */
export const mountRepos: MountFn = (router, context) => {
  const { state, shapes } = context;

  /** Installations where the user has explicit access to at least one included repository. */
  const installationsOf = (login: string) =>
    [...state.installations.values()].filter((installation) =>
      [...state.repos.values()].some(
        (repo) => repo.installationId === installation.id && repo.collaborators.has(login.toLowerCase()),
      ),
    );

  router.get("/user", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      return { body: shapes.privateUser(login) };
    }),
  );

  // next-auth's GitHub provider asks for the addresses when the profile shows none.
  router.get("/user/emails", (req) =>
    guarded(() => {
      const account = state.accountOrThrow(authenticate(state, req));
      const email = account.email ?? `${account.login}@users.noreply.github.com`;
      return { body: [{ email, primary: true, verified: true, visibility: account.email ? "public" : "private" }] };
    }),
  );

  router.get("/user/installations", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const installations = installationsOf(login);
      const page = paginate(req, context.baseUrl(), installations);
      return {
        headers: page.headers,
        body: { total_count: installations.length, installations: page.items.map((i) => shapes.installation(i)) },
      };
    }),
  );

  router.get("/user/installations/:installationId/repositories", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const installation = installationsOf(login).find((i) => String(i.id) === req.params.installationId);
      if (!installation) throw new GithubError(404, "Not Found");
      const repos = [...state.repos.values()]
        .filter((repo) => repo.installationId === installation.id && repo.collaborators.has(login.toLowerCase()))
        .sort((a, b) => a.id - b.id);
      const page = paginate(req, context.baseUrl(), repos);
      return {
        headers: page.headers,
        body: {
          total_count: repos.length,
          repository_selection: installation.repositorySelection,
          repositories: page.items.map((repo) => shapes.repository(repo, login)),
        },
      };
    }),
  );

  router.get("/repos/:owner/:repo", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      return { body: shapes.fullRepository(repo, login) };
    }),
  );

  router.get("/repos/:owner/:repo/labels", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const page = paginate(req, context.baseUrl(), repo.labels);
      return { headers: page.headers, body: page.items.map((label) => shapes.label(repo, label)) };
    }),
  );

  router.get("/repos/:owner/:repo/assignees", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const users = state.assignableUsers(repo).sort((a, b) => a.login.localeCompare(b.login));
      const page = paginate(req, context.baseUrl(), users);
      return { headers: page.headers, body: page.items.map((user) => shapes.simpleUser(user.login)) };
    }),
  );

  router.get("/repos/:owner/:repo/milestones", (req) =>
    guarded(() => {
      const login = authenticate(state, req);
      const repo = state.readableRepoOrThrow(login, req.params.owner!, req.params.repo!);
      const wanted = req.url.searchParams.get("state") ?? "open";
      const sort = req.url.searchParams.get("sort") ?? "due_on";
      const sign = req.url.searchParams.get("direction") === "desc" ? -1 : 1;
      const key = (m: (typeof repo.milestones)[number]) =>
        sort === "completeness"
          ? shapes.milestoneCounts(repo, m).closed_issues
          : // Milestones without a due date sort last, as on GitHub.
            m.dueOn
            ? Date.parse(m.dueOn)
            : Number.MAX_SAFE_INTEGER;
      const milestones = repo.milestones
        .filter((m) => wanted === "all" || m.state === wanted)
        .sort((a, b) => sign * (key(a) - key(b)) || a.number - b.number);
      const page = paginate(req, context.baseUrl(), milestones);
      return { headers: page.headers, body: page.items.map((m) => shapes.milestone(repo, m)) };
    }),
  );

  // Avatars: a small generated SVG, so pages that show avatar_url work without the network.
  router.get("/avatars/u/:id", (req) => {
    const account = [...state.accounts.values()].find((a) => String(a.id) === req.params.id);
    const letter = (account?.login[0] ?? "?").toUpperCase();
    const hue = ((account?.id ?? 0) * 47) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64"><rect width="64" height="64" fill="hsl(${hue},55%,55%)"/><text x="32" y="42" font-family="sans-serif" font-size="30" text-anchor="middle" fill="#fff">${letter}</text></svg>`;
    return { headers: { "content-type": "image/svg+xml", "cache-control": "max-age=3600" }, body: svg };
  });
};
