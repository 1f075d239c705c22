import { createHash, randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";

/**
 * The GitHub emulator's world, held in memory: accounts (users and organisations), repositories
 * with their labels and milestones, issues and pull requests, the GitHub App's installations, and
 * OAuth codes and tokens.
 *
 * REST (rest-*.ts), the issue page (issue-page.ts) and the control API (control.ts) change issues
 * only through `createIssue` / `updateIssue` / `deleteIssue` / `transferIssue`, which apply
 * GitHub's permission rules once and emit one `IssueEvent` per webhook action GitHub would send
 * (webhooks.ts listens). Serialising to GitHub's JSON shapes lives in shapes.ts.
 */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read";

export type Account = {
  id: number;
  login: string;
  nodeId: string;
  type: "User" | "Organization";
  name: string;
  email: string | null;
  company: string | null;
  location: string | null;
  bio: string | null;
  createdAt: string;
};

export type Label = {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
};

export type Milestone = {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  description: string | null;
  state: "open" | "closed";
  creator: string;
  dueOn: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
};

export type Repo = {
  id: number;
  nodeId: string;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Explicit permissions (collaborators and organisation members). Public repos are readable by all. */
  collaborators: Map<string, Permission>;
  labels: Label[];
  milestones: Milestone[];
  /** The GitHub App installation that includes this repository, if any: user tokens reach only these. */
  installationId?: number;
  nextNumber: number;
};

export type Issue = {
  id: number;
  nodeId: string;
  repoId: number;
  number: number;
  title: string;
  body: string | null;
  state: "open" | "closed";
  stateReason: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  user: string;
  /** Label ids, in the order they were added. */
  labels: number[];
  assignees: string[];
  milestone: number | null;
  locked: boolean;
  comments: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Present for pull requests: GitHub's issue endpoints list them too, with a `pull_request` key. */
  pullRequest?: { mergedAt: string | null; draft: boolean };
  /** Deleted issues answer 410 Gone; transferred ones 301 to their new home. */
  deleted?: boolean;
  transferredTo?: { repoId: number; number: number };
};

export type Installation = {
  id: number;
  account: string;
  repositorySelection: "all" | "selected";
  createdAt: string;
};

export type AccessToken = {
  token: string;
  kind: "access" | "refresh";
  login: string;
  clientId: string;
  /** Both tokens of one grant share it: rotating or revoking one kills its pair. */
  pairId: string;
  expiresAt: number;
};

export type AuthorizationCode = {
  code: string;
  login: string;
  clientId: string;
  redirectUri: string | null;
  codeChallenge: string | null;
  expiresAt: number;
  used: boolean;
};

/** One webhook action on one issue, as GitHub would send it (`issues` event). */
export type IssueEvent = {
  action:
    | "opened"
    | "edited"
    | "closed"
    | "reopened"
    | "labeled"
    | "unlabeled"
    | "assigned"
    | "unassigned"
    | "milestoned"
    | "demilestoned"
    | "deleted"
    | "transferred";
  issue: Issue;
  repo: Repo;
  sender: string;
  changes?: { title?: { from: string }; body?: { from: string } };
  label?: Label;
  assignee?: string;
  milestone?: Milestone;
  /** For `transferred`: the issue in its new repository. */
  newIssue?: Issue;
};

export type IssueChange = {
  title?: string;
  body?: string | null;
  state?: "open" | "closed";
  stateReason?: "completed" | "not_planned" | "reopened" | "duplicate" | null;
  /** Label names; missing labels are created, as GitHub does. */
  labels?: string[];
  assignees?: string[];
  milestone?: number | null;
};

/** A domain error with GitHub's status and body; the REST layer turns it into a response. */
export class GithubError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Array<Record<string, unknown>>,
    readonly documentationUrl = "https://docs.github.com/rest",
  ) {
    super(message);
  }
}

/** GitHub's newer global node ids: a type prefix, then base64url of packed numbers (opaque to clients). */
export function nodeId(prefix: string, ...numbers: number[]): string {
  const buffer = Buffer.alloc(numbers.length * 6);
  numbers.forEach((n, i) => {
    buffer.writeUIntBE(n, i * 6, 6);
  });
  return `${prefix}${buffer.toString("base64url")}`;
}

const ACCESS_TOKEN_TTL_S = 28_800;
const REFRESH_TOKEN_TTL_S = 15_897_600;
const CODE_TTL_MS = 10 * 60 * 1000;

function tokenString(prefix: "ghu_" | "ghr_"): string {
  // GitHub tokens are a prefix and 36 base62 characters (+ a checksum GitHub keeps to itself).
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(36);
  let out = prefix;
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export class GithubState {
  readonly accounts = new Map<string, Account>();
  readonly repos = new Map<number, Repo>();
  readonly issues = new Map<number, Issue>();
  readonly installations = new Map<number, Installation>();
  readonly tokens = new Map<string, AccessToken>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly events = new EventEmitter();
  /** Added to the wall clock: lets tests expire tokens without waiting eight hours. */
  clockOffsetMs = 0;
  private nextId = 1;

  constructor() {
    this.events.setMaxListeners(0);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** GitHub's timestamps have second precision: `2026-01-05T10:00:00Z`. */
  timestamp(ms = this.now()): string {
    return `${new Date(ms).toISOString().slice(0, 19)}Z`;
  }

  /** Wipes everything (ids restart, so a reseed yields the same ids). */
  clear() {
    this.accounts.clear();
    this.repos.clear();
    this.issues.clear();
    this.installations.clear();
    this.tokens.clear();
    this.codes.clear();
    this.nextId = 1;
  }

  private id(base: number): number {
    return base + this.nextId++;
  }

  // ---- accounts, repositories, installations ---------------------------------------------------

  addAccount(input: Partial<Account> & { login: string; type?: Account["type"] }): Account {
    if (this.accounts.has(input.login.toLowerCase())) throw new Error(`Account ${input.login} exists`);
    const type = input.type ?? "User";
    const id = input.id ?? this.id(9_000_000);
    const account: Account = {
      id,
      login: input.login,
      nodeId: input.nodeId ?? nodeId(type === "User" ? "U_kgDO" : "O_kgDO", id),
      type,
      name: input.name ?? input.login,
      email:
        input.email === undefined ? (type === "User" ? `${input.login}@users.noreply.github.com` : null) : input.email,
      company: input.company ?? null,
      location: input.location ?? null,
      bio: input.bio ?? null,
      createdAt: input.createdAt ?? "2011-01-25T18:44:36Z",
    };
    this.accounts.set(account.login.toLowerCase(), account);
    return account;
  }

  account(login: string): Account | undefined {
    return this.accounts.get(login.toLowerCase());
  }

  accountOrThrow(login: string): Account {
    const account = this.account(login);
    if (!account) throw new GithubError(404, "Not Found");
    return account;
  }

  addRepo(input: {
    owner: string;
    name: string;
    private?: boolean;
    description?: string | null;
    collaborators?: Record<string, Permission>;
    installationId?: number;
    id?: number;
    createdAt?: string;
  }): Repo {
    const owner = this.account(input.owner);
    if (!owner) throw new Error(`No account ${input.owner}`);
    if (this.repoByName(input.owner, input.name)) throw new Error(`Repo ${input.owner}/${input.name} exists`);
    const id = input.id ?? this.id(700_000_000);
    const createdAt = input.createdAt ?? "2025-09-01T09:00:00Z";
    const collaborators = new Map<string, Permission>(
      Object.entries(input.collaborators ?? {}).map(([login, p]) => [login.toLowerCase(), p]),
    );
    if (owner.type === "User") collaborators.set(owner.login.toLowerCase(), "admin");
    const repo: Repo = {
      id,
      nodeId: nodeId("R_kgDO", id),
      owner: owner.login,
      name: input.name,
      private: input.private ?? false,
      description: input.description ?? null,
      createdAt,
      updatedAt: createdAt,
      pushedAt: createdAt,
      collaborators,
      labels: [],
      milestones: [],
      installationId: input.installationId,
      nextNumber: 1,
    };
    this.repos.set(repo.id, repo);
    return repo;
  }

  repoByName(owner: string, name: string): Repo | undefined {
    for (const repo of this.repos.values()) {
      if (repo.owner.toLowerCase() === owner.toLowerCase() && repo.name.toLowerCase() === name.toLowerCase())
        return repo;
    }
    return undefined;
  }

  repoOrThrow(repoId: number): Repo {
    const repo = this.repos.get(repoId);
    if (!repo) throw new Error(`No repo ${repoId}`);
    return repo;
  }

  addInstallation(input: { account: string; id?: number; repositorySelection?: "all" | "selected" }): Installation {
    const installation: Installation = {
      id: input.id ?? this.id(50_000_000),
      account: this.account(input.account)?.login ?? input.account,
      repositorySelection: input.repositorySelection ?? "all",
      createdAt: "2025-10-01T12:00:00Z",
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  addLabel(repo: Repo, input: { name: string; color?: string; description?: string | null; default?: boolean }): Label {
    const id = this.id(5_000_000_000);
    const label: Label = {
      id,
      nodeId: nodeId("LA_kwDO", repo.id, id),
      name: input.name,
      // GitHub gives labels created on the fly (by naming them on an issue) this grey.
      color: input.color ?? "ededed",
      description: input.description ?? null,
      default: input.default ?? false,
    };
    repo.labels.push(label);
    return label;
  }

  addMilestone(
    repo: Repo,
    input: {
      title: string;
      description?: string | null;
      dueOn?: string | null;
      state?: "open" | "closed";
      creator: string;
    },
  ): Milestone {
    const id = this.id(10_000_000);
    const created = this.timestamp();
    const milestone: Milestone = {
      id,
      nodeId: nodeId("MI_kwDO", repo.id, id),
      number: repo.milestones.length + 1,
      title: input.title,
      description: input.description ?? null,
      state: input.state ?? "open",
      creator: input.creator,
      dueOn: input.dueOn ?? null,
      createdAt: created,
      updatedAt: created,
      closedAt: input.state === "closed" ? created : null,
    };
    repo.milestones.push(milestone);
    return milestone;
  }

  // ---- permissions ------------------------------------------------------------------------------

  /** The user's permission on a repository, as GitHub resolves it (explicit first, then public read). */
  permission(login: string, repo: Repo): Permission | undefined {
    const explicit = repo.collaborators.get(login.toLowerCase());
    if (explicit) return explicit;
    return repo.private ? undefined : "read";
  }

  canPush(login: string, repo: Repo): boolean {
    const permission = this.permission(login, repo);
    return permission === "admin" || permission === "maintain" || permission === "write";
  }

  /**
   * What a user-to-server token reaches: the user's own access, narrowed to repositories the
   * GitHub App is installed on ("the intersection of the user's and the app's permissions",
   * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-with-a-github-app-on-behalf-of-a-user).
   */
  canRead(login: string, repo: Repo): boolean {
    return repo.installationId !== undefined && this.permission(login, repo) !== undefined;
  }

  /** Repositories the user can reach, answering 404 (not 403) for the others, as GitHub hides them. */
  readableRepoOrThrow(login: string, owner: string, name: string): Repo {
    const repo = this.repoByName(owner, name);
    if (!repo || !this.canRead(login, repo)) throw new GithubError(404, "Not Found");
    return repo;
  }

  /** Users who may be assigned: those with push access (collaborators and members with write). */
  assignableUsers(repo: Repo): Account[] {
    return [...repo.collaborators.entries()]
      .filter(([, p]) => p === "admin" || p === "maintain" || p === "write" || p === "triage")
      .map(([login]) => this.account(login))
      .filter((a): a is Account => a !== undefined && a.type === "User");
  }

  // ---- issues -----------------------------------------------------------------------------------

  repoIssues(repo: Repo): Issue[] {
    return [...this.issues.values()].filter(
      (issue) => issue.repoId === repo.id && !issue.deleted && !issue.transferredTo,
    );
  }

  /** Any issue with that number, including deleted and transferred ones (the REST layer decides 404/410/301). */
  issueByNumber(repo: Repo, number: number): Issue | undefined {
    for (const issue of this.issues.values()) if (issue.repoId === repo.id && issue.number === number) return issue;
    return undefined;
  }

  label(repo: Repo, id: number): Label | undefined {
    return repo.labels.find((label) => label.id === id);
  }

  milestoneByNumber(repo: Repo, number: number | null): Milestone | undefined {
    return number === null ? undefined : repo.milestones.find((m) => m.number === number);
  }

  /** GitHub orders `updated_at`; two changes in one second would tie, so each change moves it at least a second on. */
  private touch(issue: Issue) {
    const previous = Date.parse(issue.updatedAt);
    const now = this.now();
    issue.updatedAt = this.timestamp(now > previous + 999 ? now : previous + 1000);
  }

  private emit(event: IssueEvent) {
    this.events.emit("issue", event);
  }

  /**
   * Creates an issue (or, with `pullRequest`, a pull request: the emulator does not model code, only
   * how PRs show up in the issue lists). Labels, assignees and milestone are silently dropped for
   * users without push access, as GitHub documents for `POST /repos/{owner}/{repo}/issues`.
   */
  createIssue(
    repo: Repo,
    actor: string,
    input: IssueChange & {
      title: string;
      createdAt?: string;
      pullRequest?: { mergedAt: string | null; draft: boolean };
      silent?: boolean;
    },
  ): Issue {
    const push = this.canPush(actor, repo);
    // Labels last: naming a missing label creates it, which must not happen when a 422 follows.
    const assignees = push && input.assignees ? this.resolveAssignees(repo, input.assignees) : [];
    const milestone = push && input.milestone != null ? this.resolveMilestone(repo, input.milestone) : null;
    const labels = push && input.labels ? this.resolveLabels(repo, input.labels) : [];
    const id = this.id(3_000_000_000);
    const number = repo.nextNumber++;
    const createdAt = input.createdAt ?? this.timestamp();
    const closed = input.state === "closed";
    const issue: Issue = {
      id,
      nodeId: nodeId(input.pullRequest ? "PR_kwDO" : "I_kwDO", repo.id, id),
      repoId: repo.id,
      number,
      title: input.title,
      body: input.body ?? null,
      state: closed ? "closed" : "open",
      stateReason: closed ? (input.stateReason ?? "completed") : null,
      user: this.accountOrThrow(actor).login,
      labels,
      assignees,
      milestone,
      locked: false,
      comments: 0,
      createdAt,
      updatedAt: createdAt,
      closedAt: closed ? createdAt : null,
      closedBy: closed ? actor : null,
      pullRequest: input.pullRequest,
    };
    this.issues.set(issue.id, issue);
    if (!input.silent && !issue.pullRequest) {
      this.emit({ action: "opened", issue, repo, sender: actor });
      // GitHub follows `opened` with one `labeled` / `assigned` per label and assignee set at creation.
      for (const labelId of labels)
        this.emit({ action: "labeled", issue, repo, sender: actor, label: this.label(repo, labelId) });
      for (const login of assignees) this.emit({ action: "assigned", issue, repo, sender: actor, assignee: login });
      if (milestone !== null)
        this.emit({
          action: "milestoned",
          issue,
          repo,
          sender: actor,
          milestone: this.milestoneByNumber(repo, milestone),
        });
    }
    return issue;
  }

  /**
   * Applies a change as `actor` and emits the webhook actions GitHub sends for it: one `edited`
   * (with `changes`) for title/body, `closed` / `reopened`, one `labeled` / `unlabeled` per label,
   * one `assigned` / `unassigned` per user, `milestoned` / `demilestoned`. Without push access,
   * only the author may change their issue, and labels, assignees and milestone are silently dropped
   * (https://docs.github.com/en/rest/issues/issues#update-an-issue).
   */
  updateIssue(issue: Issue, actor: string, change: IssueChange): { issue: Issue; events: IssueEvent[] } {
    const repo = this.repoOrThrow(issue.repoId);
    const push = this.canPush(actor, repo);
    const permission = this.permission(actor, repo);
    const isAuthor = issue.user.toLowerCase() === actor.toLowerCase();
    if (!push && permission !== "triage" && !isAuthor) {
      throw new GithubError(
        403,
        "Must have admin rights to Repository.",
        undefined,
        "https://docs.github.com/rest/issues/issues#update-an-issue",
      );
    }
    const canTriage = push || permission === "triage";
    const events: IssueEvent[] = [];
    const sender = this.accountOrThrow(actor).login;

    // Validate everything before changing anything: a 422 must leave the issue as it was. Labels
    // last, since naming a missing label creates it.
    const nextAssignees = canTriage && change.assignees ? this.resolveAssignees(repo, change.assignees) : undefined;
    const nextMilestone =
      push && change.milestone !== undefined
        ? change.milestone === null
          ? null
          : this.resolveMilestone(repo, change.milestone)
        : undefined;
    const nextLabels = canTriage && change.labels ? this.resolveLabels(repo, change.labels) : undefined;

    const changes: NonNullable<IssueEvent["changes"]> = {};
    if (change.title !== undefined && change.title !== issue.title) {
      changes.title = { from: issue.title };
      issue.title = change.title;
    }
    if (change.body !== undefined && change.body !== issue.body) {
      changes.body = { from: issue.body ?? "" };
      issue.body = change.body;
    }
    let stateAction: "closed" | "reopened" | undefined;
    if (change.state !== undefined && change.state !== issue.state) {
      if (change.state === "closed") {
        issue.state = "closed";
        issue.stateReason = change.stateReason && change.stateReason !== "reopened" ? change.stateReason : "completed";
        issue.closedAt = this.timestamp();
        issue.closedBy = sender;
        stateAction = "closed";
      } else {
        issue.state = "open";
        issue.stateReason = "reopened";
        issue.closedAt = null;
        stateAction = "reopened";
      }
    } else if (
      change.state === "closed" &&
      issue.state === "closed" &&
      change.stateReason &&
      change.stateReason !== issue.stateReason
    ) {
      // Closing an already-closed issue with another reason changes the reason (github.com's "Close as" menu).
      issue.stateReason = change.stateReason === "reopened" ? issue.stateReason : change.stateReason;
    }
    const added: number[] = [];
    const removed: number[] = [];
    if (nextLabels) {
      for (const id of issue.labels) if (!nextLabels.includes(id)) removed.push(id);
      for (const id of nextLabels) if (!issue.labels.includes(id)) added.push(id);
      issue.labels = nextLabels;
    }
    const assigned: string[] = [];
    const unassigned: string[] = [];
    if (nextAssignees) {
      const lower = (list: string[]) => list.map((l) => l.toLowerCase());
      for (const login of issue.assignees)
        if (!lower(nextAssignees).includes(login.toLowerCase())) unassigned.push(login);
      for (const login of nextAssignees)
        if (!lower(issue.assignees).includes(login.toLowerCase())) assigned.push(login);
      issue.assignees = nextAssignees;
    }
    let milestoneAction: IssueEvent | undefined;
    if (nextMilestone !== undefined && nextMilestone !== issue.milestone) {
      const previous = this.milestoneByNumber(repo, issue.milestone);
      issue.milestone = nextMilestone;
      milestoneAction =
        nextMilestone === null
          ? { action: "demilestoned", issue, repo, sender, milestone: previous }
          : { action: "milestoned", issue, repo, sender, milestone: this.milestoneByNumber(repo, nextMilestone) };
    }

    const changed =
      Object.keys(changes).length > 0 ||
      stateAction ||
      added.length ||
      removed.length ||
      assigned.length ||
      unassigned.length ||
      milestoneAction;
    if (!changed) return { issue, events };
    this.touch(issue);

    if (Object.keys(changes).length > 0) events.push({ action: "edited", issue, repo, sender, changes });
    if (stateAction) events.push({ action: stateAction, issue, repo, sender });
    for (const id of added) events.push({ action: "labeled", issue, repo, sender, label: this.label(repo, id) });
    for (const id of removed) {
      const label = repo.labels.find((l) => l.id === id);
      events.push({ action: "unlabeled", issue, repo, sender, label });
    }
    for (const login of assigned) events.push({ action: "assigned", issue, repo, sender, assignee: login });
    for (const login of unassigned) events.push({ action: "unassigned", issue, repo, sender, assignee: login });
    if (milestoneAction) events.push(milestoneAction);
    // Pull requests send `pull_request` events, which this emulator does not model.
    if (!issue.pullRequest) for (const event of events) this.emit(event);
    return { issue, events };
  }

  /** Deleting needs admin rights on GitHub; the issue answers 410 Gone afterwards. */
  deleteIssue(issue: Issue, actor: string) {
    const repo = this.repoOrThrow(issue.repoId);
    if (this.permission(actor, repo) !== "admin") throw new GithubError(403, "Must have admin rights to Repository.");
    issue.deleted = true;
    this.touch(issue);
    this.emit({ action: "deleted", issue, repo, sender: actor });
  }

  /**
   * Moves an issue to another repository of the same owner: the old number answers 301 to the new
   * issue (a new id and number), and the old repository's webhook gets `transferred`.
   */
  transferIssue(issue: Issue, actor: string, target: Repo): Issue {
    const repo = this.repoOrThrow(issue.repoId);
    if (!this.canPush(actor, repo) || !this.canPush(actor, target))
      throw new GithubError(403, "Must have admin rights to Repository.");
    const moved = this.createIssue(target, issue.user, {
      title: issue.title,
      body: issue.body,
      createdAt: issue.createdAt,
      silent: true,
    });
    moved.state = issue.state;
    moved.stateReason = issue.stateReason;
    moved.closedAt = issue.closedAt;
    moved.assignees = issue.assignees.filter((login) => this.canPush(login, target));
    this.touch(moved);
    issue.transferredTo = { repoId: target.id, number: moved.number };
    this.touch(issue);
    this.emit({ action: "transferred", issue, repo, sender: actor, newIssue: moved });
    this.emit({ action: "opened", issue: moved, repo: target, sender: actor });
    return moved;
  }

  private resolveLabels(repo: Repo, names: string[]): number[] {
    const ids: number[] = [];
    for (const name of names) {
      const existing = repo.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
      const label = existing ?? this.addLabel(repo, { name });
      if (!ids.includes(label.id)) ids.push(label.id);
    }
    return ids;
  }

  private resolveAssignees(repo: Repo, logins: string[]): string[] {
    const assignable = this.assignableUsers(repo);
    const result: string[] = [];
    for (const login of logins) {
      const user = assignable.find((a) => a.login.toLowerCase() === login.toLowerCase());
      if (!user) {
        throw new GithubError(422, "Validation Failed", [
          { value: login, resource: "Issue", field: "assignees", code: "invalid" },
        ]);
      }
      if (!result.includes(user.login)) result.push(user.login);
    }
    // GitHub allows at most ten assignees per issue.
    return result.slice(0, 10);
  }

  private resolveMilestone(repo: Repo, number: number): number {
    if (!this.milestoneByNumber(repo, number)) {
      throw new GithubError(422, "Validation Failed", [
        { value: number, resource: "Issue", field: "milestone", code: "invalid" },
      ]);
    }
    return number;
  }

  // ---- OAuth codes and tokens -------------------------------------------------------------------

  issueCode(input: {
    login: string;
    clientId: string;
    redirectUri: string | null;
    codeChallenge: string | null;
  }): string {
    // GitHub codes are 20 hex characters, valid ten minutes, single use.
    const code = randomBytes(10).toString("hex");
    this.codes.set(code, { ...input, code, expiresAt: this.now() + CODE_TTL_MS, used: false });
    return code;
  }

  /** Mints an expiring user-to-server token pair (`ghu_` 8 h, `ghr_` ~6 months). */
  issueTokens(login: string, clientId: string, options: { expiresInS?: number } = {}) {
    const pairId = randomBytes(8).toString("hex");
    const now = this.now();
    const expiresIn = options.expiresInS ?? ACCESS_TOKEN_TTL_S;
    const access: AccessToken = {
      token: tokenString("ghu_"),
      kind: "access",
      login: this.accountOrThrow(login).login,
      clientId,
      pairId,
      expiresAt: now + expiresIn * 1000,
    };
    const refresh: AccessToken = {
      ...access,
      token: tokenString("ghr_"),
      kind: "refresh",
      expiresAt: now + REFRESH_TOKEN_TTL_S * 1000,
    };
    this.tokens.set(access.token, access);
    this.tokens.set(refresh.token, refresh);
    return {
      access_token: access.token,
      expires_in: expiresIn,
      refresh_token: refresh.token,
      refresh_token_expires_in: REFRESH_TOKEN_TTL_S,
      token_type: "bearer" as const,
      scope: "",
    };
  }

  /** The live access token, or undefined when unknown, revoked or expired. */
  accessToken(token: string): AccessToken | undefined {
    const found = this.tokens.get(token);
    if (found?.kind !== "access" || found.expiresAt <= this.now()) return undefined;
    return found;
  }

  revokePair(pairId: string) {
    for (const [key, token] of this.tokens) if (token.pairId === pairId) this.tokens.delete(key);
  }

  /** Revoking a grant kills every token the user holds for the app. */
  revokeGrant(login: string, clientId: string) {
    for (const [key, token] of this.tokens) {
      if (token.login.toLowerCase() === login.toLowerCase() && token.clientId === clientId) this.tokens.delete(key);
    }
  }
}

/** PKCE S256: BASE64URL(SHA256(verifier)) must equal the challenge (RFC 7636 §4.6). */
export function pkceChallenge(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}
