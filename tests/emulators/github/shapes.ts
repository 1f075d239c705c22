import type { Account, GithubState, Installation, Issue, Label, Milestone, Repo } from "./state";

/**
 * GitHub's JSON shapes, built from the emulator's state. REST shapes follow the schemas of
 * `@octokit/openapi` (components `simple-user`, `private-user`, `issue`, `label`, `milestone`,
 * `full-repository`, `repository`, `installation`, `issue-search-result-item`); webhook shapes follow
 * `@octokit/webhooks-schemas`, which forbids extra keys, so they are built separately rather than
 * derived from the REST ones (REST users carry `user_view_type`, webhook users may not).
 *
 * One server is both "api.github.com" and "github.com", so API urls and html urls share a host:
 * `${base}/repos/acme/roadmap/issues/1` (API) and `${base}/acme/roadmap/issues/1` (page).
 */

export type AppInfo = { appId: number; slug: string; clientId: string };

export class Shapes {
  constructor(
    private readonly state: GithubState,
    private readonly base: () => string,
    private readonly app: AppInfo,
  ) {}

  // ---- users --------------------------------------------------------------------------------------

  /** The user fields REST and webhooks share (the webhook `user` definition, exactly). */
  private userCore(account: Account) {
    const api = `${this.base()}/users/${account.login}`;
    return {
      login: account.login,
      id: account.id,
      node_id: account.nodeId,
      avatar_url: `${this.base()}/avatars/u/${account.id}?v=4`,
      gravatar_id: "",
      url: api,
      html_url: `${this.base()}/${account.login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: account.type,
      site_admin: false,
    };
  }

  simpleUser(login: string) {
    return { ...this.userCore(this.state.accountOrThrow(login)), user_view_type: "public" };
  }

  nullableSimpleUser(login: string | null | undefined) {
    return login ? this.simpleUser(login) : null;
  }

  /** `GET /user` with a user token answers the private view of the signed-in user. */
  privateUser(login: string) {
    const account = this.state.accountOrThrow(login);
    const repos = [...this.state.repos.values()].filter((r) => r.owner === account.login);
    return {
      ...this.userCore(account),
      user_view_type: "private",
      name: account.name,
      company: account.company,
      blog: "",
      location: account.location,
      email: account.email,
      notification_email: account.email,
      hireable: null,
      bio: account.bio,
      twitter_username: null,
      public_repos: repos.filter((r) => !r.private).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: account.createdAt,
      updated_at: account.createdAt,
      private_gists: 0,
      total_private_repos: repos.filter((r) => r.private).length,
      owned_private_repos: repos.filter((r) => r.private).length,
      disk_usage: 0,
      collaborators: 0,
      two_factor_authentication: true,
      plan: { name: "free", space: 976562499, collaborators: 0, private_repos: 10000 },
    };
  }

  webhookUser(login: string) {
    return this.userCore(this.state.accountOrThrow(login));
  }

  webhookOrganization(login: string) {
    const account = this.state.accountOrThrow(login);
    const api = `${this.base()}/orgs/${account.login}`;
    return {
      login: account.login,
      id: account.id,
      node_id: account.nodeId,
      url: api,
      html_url: `${this.base()}/${account.login}`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events`,
      hooks_url: `${api}/hooks`,
      issues_url: `${api}/issues`,
      members_url: `${api}/members{/member}`,
      public_members_url: `${api}/public_members{/member}`,
      avatar_url: `${this.base()}/avatars/u/${account.id}?v=4`,
      description: account.bio,
    };
  }

  // ---- labels and milestones ---------------------------------------------------------------------

  label(repo: Repo, label: Label) {
    return {
      id: label.id,
      node_id: label.nodeId,
      url: `${this.repoApi(repo)}/labels/${encodeURIComponent(label.name)}`,
      name: label.name,
      color: label.color,
      default: label.default,
      description: label.description,
    };
  }

  milestoneCounts(repo: Repo, milestone: Milestone) {
    const issues = this.state.repoIssues(repo).filter((i) => i.milestone === milestone.number);
    return {
      open_issues: issues.filter((i) => i.state === "open").length,
      closed_issues: issues.filter((i) => i.state === "closed").length,
    };
  }

  private milestoneWith(repo: Repo, milestone: Milestone, creator: unknown) {
    return {
      url: `${this.repoApi(repo)}/milestones/${milestone.number}`,
      html_url: `${this.repoHtml(repo)}/milestone/${milestone.number}`,
      labels_url: `${this.repoApi(repo)}/milestones/${milestone.number}/labels`,
      id: milestone.id,
      node_id: milestone.nodeId,
      number: milestone.number,
      title: milestone.title,
      description: milestone.description,
      creator,
      ...this.milestoneCounts(repo, milestone),
      state: milestone.state,
      created_at: milestone.createdAt,
      updated_at: milestone.updatedAt,
      due_on: milestone.dueOn,
      closed_at: milestone.closedAt,
    };
  }

  milestone(repo: Repo, milestone: Milestone) {
    return this.milestoneWith(repo, milestone, this.simpleUser(milestone.creator));
  }

  webhookMilestone(repo: Repo, milestone: Milestone) {
    return this.milestoneWith(repo, milestone, this.webhookUser(milestone.creator));
  }

  webhookLabel(repo: Repo, label: Label) {
    return this.label(repo, label);
  }

  // ---- issues -------------------------------------------------------------------------------------

  /** OWNER for the owning user, MEMBER for organisation members, COLLABORATOR otherwise with access, else NONE. */
  authorAssociation(repo: Repo, login: string) {
    if (repo.owner.toLowerCase() === login.toLowerCase()) return "OWNER";
    const explicit = repo.collaborators.get(login.toLowerCase());
    if (!explicit) return "NONE";
    return this.state.account(repo.owner)?.type === "Organization" ? "MEMBER" : "COLLABORATOR";
  }

  private issueUrls(repo: Repo, issue: Issue) {
    const api = `${this.repoApi(repo)}/issues/${issue.number}`;
    return {
      url: api,
      repository_url: this.repoApi(repo),
      labels_url: `${api}/labels{/name}`,
      comments_url: `${api}/comments`,
      events_url: `${api}/events`,
      html_url: `${this.repoHtml(repo)}/${issue.pullRequest ? "pull" : "issues"}/${issue.number}`,
    };
  }

  private pullRequestKey(repo: Repo, issue: Issue) {
    if (!issue.pullRequest) return {};
    const html = `${this.repoHtml(repo)}/pull/${issue.number}`;
    return {
      pull_request: {
        url: `${this.repoApi(repo)}/pulls/${issue.number}`,
        html_url: html,
        diff_url: `${html}.diff`,
        patch_url: `${html}.patch`,
        merged_at: issue.pullRequest.mergedAt,
      },
      draft: issue.pullRequest.draft,
    };
  }

  private reactions(repo: Repo, issue: Issue) {
    return {
      url: `${this.repoApi(repo)}/issues/${issue.number}/reactions`,
      total_count: 0,
      "+1": 0,
      "-1": 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    };
  }

  /** The `issue` schema. `detail` adds what GitHub returns only for a single issue (`closed_by`). */
  issue(issue: Issue, options: { detail?: boolean } = {}) {
    const repo = this.state.repoOrThrow(issue.repoId);
    const milestone = this.state.milestoneByNumber(repo, issue.milestone);
    return {
      ...this.issueUrls(repo, issue),
      id: issue.id,
      node_id: issue.nodeId,
      number: issue.number,
      title: issue.title,
      user: this.simpleUser(issue.user),
      labels: issue.labels.map((id) => this.state.label(repo, id)).flatMap((l) => (l ? [this.label(repo, l)] : [])),
      state: issue.state,
      locked: issue.locked,
      assignee: this.nullableSimpleUser(issue.assignees[0]),
      assignees: issue.assignees.map((login) => this.simpleUser(login)),
      milestone: milestone ? this.milestone(repo, milestone) : null,
      comments: issue.comments,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: this.authorAssociation(repo, issue.user),
      type: null,
      active_lock_reason: null,
      sub_issues_summary: { total: 0, completed: 0, percent_completed: 0 },
      ...this.pullRequestKey(repo, issue),
      body: issue.body,
      ...(options.detail ? { closed_by: this.nullableSimpleUser(issue.closedBy) } : {}),
      reactions: this.reactions(repo, issue),
      timeline_url: `${this.repoApi(repo)}/issues/${issue.number}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.stateReason,
    };
  }

  /** `issue-search-result-item`: the issue plus a relevance `score`. */
  searchItem(issue: Issue, score: number) {
    const { type: _type, sub_issues_summary: _summary, ...rest } = this.issue(issue);
    return { ...rest, score };
  }

  /** The webhook `issue` definition (additionalProperties: false, so exactly these keys). */
  webhookIssue(issue: Issue) {
    const repo = this.state.repoOrThrow(issue.repoId);
    const milestone = this.state.milestoneByNumber(repo, issue.milestone);
    return {
      ...this.issueUrls(repo, issue),
      id: issue.id,
      node_id: issue.nodeId,
      number: issue.number,
      title: issue.title,
      user: this.webhookUser(issue.user),
      labels: issue.labels
        .map((id) => this.state.label(repo, id))
        .flatMap((l) => (l ? [this.webhookLabel(repo, l)] : [])),
      state: issue.state,
      locked: issue.locked,
      assignee: issue.assignees[0] ? this.webhookUser(issue.assignees[0]) : null,
      assignees: issue.assignees.map((login) => this.webhookUser(login)),
      milestone: milestone ? this.webhookMilestone(repo, milestone) : null,
      comments: issue.comments,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      author_association: this.authorAssociation(repo, issue.user),
      active_lock_reason: null,
      ...this.pullRequestKey(repo, issue),
      body: issue.body,
      reactions: this.reactions(repo, issue),
      timeline_url: `${this.repoApi(repo)}/issues/${issue.number}/timeline`,
      performed_via_github_app: null,
      state_reason: issue.stateReason,
    };
  }

  // ---- repositories -------------------------------------------------------------------------------

  repoApi(repo: Repo) {
    return `${this.base()}/repos/${repo.owner}/${repo.name}`;
  }

  repoHtml(repo: Repo) {
    return `${this.base()}/${repo.owner}/${repo.name}`;
  }

  /** Every field the webhook `repository` definition requires; REST shapes add to it. */
  private repoCore(repo: Repo) {
    const api = this.repoApi(repo);
    const html = this.repoHtml(repo);
    const host = new URL(this.base()).host;
    const openIssues = this.state.repoIssues(repo).filter((i) => i.state === "open").length;
    return {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: repo.private,
      owner: this.userCore(this.state.accountOrThrow(repo.owner)),
      html_url: html,
      description: repo.description,
      fork: false,
      url: api,
      forks_url: `${api}/forks`,
      keys_url: `${api}/keys{/key_id}`,
      collaborators_url: `${api}/collaborators{/collaborator}`,
      teams_url: `${api}/teams`,
      hooks_url: `${api}/hooks`,
      issue_events_url: `${api}/issues/events{/number}`,
      events_url: `${api}/events`,
      assignees_url: `${api}/assignees{/user}`,
      branches_url: `${api}/branches{/branch}`,
      tags_url: `${api}/tags`,
      blobs_url: `${api}/git/blobs{/sha}`,
      git_tags_url: `${api}/git/tags{/sha}`,
      git_refs_url: `${api}/git/refs{/sha}`,
      trees_url: `${api}/git/trees{/sha}`,
      statuses_url: `${api}/statuses/{sha}`,
      languages_url: `${api}/languages`,
      stargazers_url: `${api}/stargazers`,
      contributors_url: `${api}/contributors`,
      subscribers_url: `${api}/subscribers`,
      subscription_url: `${api}/subscription`,
      commits_url: `${api}/commits{/sha}`,
      git_commits_url: `${api}/git/commits{/sha}`,
      comments_url: `${api}/comments{/number}`,
      issue_comment_url: `${api}/issues/comments{/number}`,
      contents_url: `${api}/contents/{+path}`,
      compare_url: `${api}/compare/{base}...{head}`,
      merges_url: `${api}/merges`,
      archive_url: `${api}/{archive_format}{/ref}`,
      downloads_url: `${api}/downloads`,
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      milestones_url: `${api}/milestones{/number}`,
      notifications_url: `${api}/notifications{?since,all,participating}`,
      labels_url: `${api}/labels{/name}`,
      releases_url: `${api}/releases{/id}`,
      deployments_url: `${api}/deployments`,
      created_at: repo.createdAt,
      updated_at: repo.updatedAt,
      pushed_at: repo.pushedAt,
      git_url: `git://${host}/${repo.owner}/${repo.name}.git`,
      ssh_url: `git@${host}:${repo.owner}/${repo.name}.git`,
      clone_url: `${html}.git`,
      svn_url: html,
      homepage: null,
      size: 128,
      stargazers_count: 0,
      watchers_count: 0,
      language: "TypeScript",
      has_issues: true,
      has_projects: true,
      has_downloads: true,
      has_wiki: false,
      has_pages: false,
      has_discussions: false,
      forks_count: 0,
      mirror_url: null,
      archived: false,
      disabled: false,
      open_issues_count: openIssues,
      license: null,
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [] as string[],
      visibility: repo.private ? "private" : "public",
      forks: 0,
      open_issues: openIssues,
      watchers: 0,
      default_branch: "main",
    };
  }

  private permissions(repo: Repo, viewer: string) {
    const p = this.state.permission(viewer, repo);
    const rank = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 }[p ?? "read"] ?? 0;
    return { admin: rank >= 5, maintain: rank >= 4, push: rank >= 3, triage: rank >= 2, pull: p !== undefined };
  }

  /** The `repository` schema (what `GET /user/installations/{id}/repositories` lists). */
  repository(repo: Repo, viewer: string) {
    return { ...this.repoCore(repo), permissions: this.permissions(repo, viewer), custom_properties: {} };
  }

  /** The `full-repository` schema (`GET /repos/{owner}/{repo}`). */
  fullRepository(repo: Repo, viewer: string) {
    const owner = this.state.accountOrThrow(repo.owner);
    return {
      ...this.repository(repo, viewer),
      ...(owner.type === "Organization" ? { organization: this.simpleUser(owner.login) } : {}),
      network_count: 0,
      subscribers_count: 1,
    };
  }

  webhookRepository(repo: Repo) {
    return { ...this.repoCore(repo), custom_properties: {} };
  }

  // ---- installations ------------------------------------------------------------------------------

  installation(installation: Installation) {
    const account = this.state.accountOrThrow(installation.account);
    return {
      id: installation.id,
      client_id: this.app.clientId,
      account: this.simpleUser(account.login),
      repository_selection: installation.repositorySelection,
      access_tokens_url: `${this.base()}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${this.base()}/installation/repositories`,
      html_url:
        account.type === "Organization"
          ? `${this.base()}/organizations/${account.login}/settings/installations/${installation.id}`
          : `${this.base()}/settings/installations/${installation.id}`,
      app_id: this.app.appId,
      app_slug: this.app.slug,
      target_id: account.id,
      target_type: account.type,
      permissions: { issues: "write", metadata: "read" },
      events: ["issues"],
      created_at: installation.createdAt,
      updated_at: installation.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [] as string[],
      suspended_by: null,
      suspended_at: null,
    };
  }

  /** `installation` in webhook payloads is the lite form: `{id, node_id}`. */
  installationLite(installationId: number) {
    return {
      id: installationId,
      node_id: Buffer.from(`023:IntegrationInstallation${installationId}`).toString("base64"),
    };
  }
}
