import type { GithubState, Permission } from "./state";

/**
 * The emulator's seed world. Ids and numbers are fixed, so tests and the sandbox can name them:
 *
 * - organisation `acme` with private repositories `acme/roadmap` and `acme/web`;
 * - user `octocat` with `octocat/hello-world` (public) and `octocat/dotfiles` (private, and not in
 *   the app's installation: user tokens cannot reach it);
 * - users: `octocat` (admin everywhere), `monalisa` (write on acme/web only; cannot see
 *   acme/roadmap), `hubot` (read on the acme repositories: no push access);
 * - the GitHub App installed on `acme` (all repositories) and on `octocat` (hello-world only);
 * - 34 issues and pull requests with labels (with colours), assignees and milestones.
 */

export const SEED = {
  org: "acme",
  users: { octocat: "octocat", hubot: "hubot", monalisa: "monalisa" },
  repos: {
    roadmap: { owner: "acme", name: "roadmap", fullName: "acme/roadmap", id: 700_000_101 },
    web: { owner: "acme", name: "web", fullName: "acme/web", id: 700_000_102 },
    helloWorld: { owner: "octocat", name: "hello-world", fullName: "octocat/hello-world", id: 1_296_269 },
    dotfiles: { owner: "octocat", name: "dotfiles", fullName: "octocat/dotfiles", id: 700_000_104 },
  },
  installations: { acme: 41_000_001, octocat: 41_000_002 },
  accountIds: { octocat: 583_231, hubot: 480_938, monalisa: 2_000_002, acme: 1_000_001 },
} as const;

type RepoKey = keyof typeof SEED.repos;

const LABELS: Record<string, { color: string; description: string; default?: boolean }> = {
  bug: { color: "d73a4a", description: "Something isn't working", default: true },
  enhancement: { color: "a2eeef", description: "New feature or request", default: true },
  documentation: { color: "0075ca", description: "Improvements or additions to documentation", default: true },
  "good first issue": { color: "7057ff", description: "Good for newcomers", default: true },
  "help wanted": { color: "008672", description: "Extra attention is needed", default: true },
  question: { color: "d876e3", description: "Further information is requested", default: true },
  "priority: high": { color: "b60205", description: "Do this first" },
  design: { color: "f9d0c4", description: "Needs design input" },
  performance: { color: "fbca04", description: "Speed and resource use" },
};

const MILESTONES: Partial<
  Record<RepoKey, Array<{ title: string; description: string; dueOn: string | null; state?: "open" | "closed" }>>
> = {
  roadmap: [
    { title: "Q1 2026", description: "First quarter goals", dueOn: "2026-03-31T07:00:00Z", state: "closed" },
    { title: "Q2 2026", description: "Second quarter goals", dueOn: "2026-06-30T07:00:00Z" },
    { title: "Later", description: "Ideas without a date", dueOn: null },
  ],
  web: [
    { title: "v2.0", description: "The redesign", dueOn: "2026-05-15T07:00:00Z" },
    { title: "v2.1", description: "Polish after the redesign", dueOn: "2026-07-01T07:00:00Z" },
  ],
  helloWorld: [{ title: "v1.0", description: "First release", dueOn: "2026-02-01T08:00:00Z" }],
};

type SeedIssue = {
  repo: RepoKey;
  title: string;
  body?: string;
  author?: string;
  labels?: string[];
  assignees?: string[];
  milestone?: number;
  state?: "closed";
  reason?: "completed" | "not_planned";
  pr?: { merged?: boolean; draft?: boolean };
};

/** In creation order; within each repository the n-th entry gets number n. */
export const SEED_ISSUES: SeedIssue[] = [
  // acme/roadmap
  {
    repo: "roadmap",
    title: "Plan the Q2 launch event",
    body: "Venue, date and guest list for the launch.\n\n- [ ] venue\n- [ ] invitations",
    labels: ["priority: high"],
    assignees: ["octocat"],
    milestone: 2,
  },
  {
    repo: "roadmap",
    title: "Publish the public roadmap page",
    body: "A page on the website that lists what we are building next.",
    labels: ["documentation", "enhancement"],
    assignees: ["octocat"],
    milestone: 2,
  },
  {
    repo: "roadmap",
    title: "Customer interviews: onboarding",
    body: "Talk to five new customers about their first week.",
    labels: ["question"],
    milestone: 1,
    state: "closed",
    reason: "completed",
  },
  {
    repo: "roadmap",
    title: "Dark mode for the dashboard",
    body: "Many requests for a dark theme.",
    labels: ["enhancement", "design"],
    milestone: 3,
  },
  {
    repo: "roadmap",
    title: "Pricing page experiment",
    body: "Try annual pricing first.",
    labels: ["enhancement"],
    assignees: ["octocat"],
    state: "closed",
    reason: "not_planned",
  },
  {
    repo: "roadmap",
    title: "Quarterly planning template",
    body: "A template for teams to plan their quarter.",
    labels: ["documentation", "good first issue"],
    author: "hubot",
  },
  {
    repo: "roadmap",
    title: "Mobile app feasibility study",
    body: "Do we need native apps, or is the web app enough?",
    labels: ["question", "help wanted"],
    milestone: 3,
  },
  {
    repo: "roadmap",
    title: "Add roadmap milestones to the README",
    body: "Link each milestone from the README.",
    labels: ["documentation"],
    author: "hubot",
    state: "closed",
    reason: "completed",
  },
  { repo: "roadmap", title: "Draft: Q2 OKRs", body: "Objectives and key results for Q2.", pr: { draft: true } },
  {
    repo: "roadmap",
    title: "Localisation of the product tour",
    body: "German, French and Japanese first.",
    labels: ["enhancement", "help wanted"],
    milestone: 2,
  },
  {
    repo: "roadmap",
    title: "Accessibility audit",
    body: "Audit against WCAG 2.2 AA.",
    labels: ["priority: high", "design"],
    assignees: ["octocat"],
    milestone: 2,
  },
  {
    repo: "roadmap",
    title: "Update the Q1 retrospective",
    body: "Fold the retro notes into the roadmap.",
    pr: { merged: true },
    state: "closed",
    reason: "completed",
  },
  {
    repo: "roadmap",
    title: "Partner integrations shortlist",
    body: "Which integrations matter most to customers?",
    labels: ["question"],
    author: "hubot",
  },
  {
    repo: "roadmap",
    title: "Sunset the legacy importer",
    body: "Announce, migrate, remove.",
    labels: ["enhancement"],
    milestone: 1,
    state: "closed",
    reason: "completed",
  },
  {
    repo: "roadmap",
    title: "Status page for incidents",
    body: "Customers want to know when something is down.",
    labels: ["enhancement", "help wanted"],
  },
  // acme/web
  {
    repo: "web",
    title: "Login button misaligned on Safari",
    body: "On Safari 18 the login button sits 4px too low.",
    labels: ["bug"],
    assignees: ["monalisa"],
    milestone: 1,
  },
  {
    repo: "web",
    title: "Slow first load on the pricing page",
    body: "The pricing page takes 3 s to render on a cold cache.",
    labels: ["bug", "performance"],
    assignees: ["octocat", "monalisa"],
    milestone: 1,
  },
  {
    repo: "web",
    title: "New navigation bar",
    body: "Implement the navigation from the redesign.",
    labels: ["enhancement", "design"],
    assignees: ["monalisa"],
    milestone: 1,
  },
  {
    repo: "web",
    title: "Footer links return 404",
    body: "The careers and press links are broken.",
    labels: ["bug", "good first issue"],
    state: "closed",
    reason: "completed",
  },
  {
    repo: "web",
    title: "Add a cookie banner",
    body: "Needed before launch in the EU.",
    labels: ["enhancement"],
    milestone: 2,
  },
  {
    repo: "web",
    title: "Redesign: new navigation",
    body: "Implements the new navigation bar.",
    author: "monalisa",
    labels: ["design"],
    pr: {},
  },
  {
    repo: "web",
    title: "Typo on the about page",
    body: '"Teh team" should read "The team".',
    labels: ["documentation", "good first issue"],
    author: "hubot",
  },
  {
    repo: "web",
    title: "Support Internet Explorer 11",
    body: "A customer asked for IE11 support.",
    labels: ["enhancement"],
    state: "closed",
    reason: "not_planned",
  },
  {
    repo: "web",
    title: "Images are not lazy-loaded",
    body: "Below-the-fold images load eagerly.",
    labels: ["performance"],
    assignees: ["monalisa"],
    milestone: 2,
  },
  {
    repo: "web",
    title: "Fix contact form validation",
    body: "Email addresses with a plus sign are rejected.",
    author: "monalisa",
    labels: ["bug"],
    pr: { merged: true },
    state: "closed",
    reason: "completed",
  },
  {
    repo: "web",
    title: "Search results flicker while typing",
    body: "Debounce the search input.",
    labels: ["bug"],
    milestone: 2,
  },
  {
    repo: "web",
    title: "Dark mode colours for charts",
    body: "Chart colours are unreadable on dark backgrounds.",
    labels: ["design", "help wanted"],
  },
  // octocat/hello-world
  {
    repo: "helloWorld",
    title: "Found a bug",
    body: "I'm having a problem with this.",
    labels: ["bug"],
    assignees: ["octocat"],
    milestone: 1,
  },
  {
    repo: "helloWorld",
    title: "Say hello in more languages",
    body: "Add Spanish and Portuguese greetings.",
    labels: ["enhancement", "good first issue"],
  },
  {
    repo: "helloWorld",
    title: "Explain how to run the program",
    body: "The README should say how to run it.",
    labels: ["documentation"],
    state: "closed",
    reason: "completed",
  },
  { repo: "helloWorld", title: "Add a greeting in French", body: "Bonjour!", author: "hubot", pr: {} },
  {
    repo: "helloWorld",
    title: "Is this project still maintained?",
    body: "Just wondering.",
    labels: ["question"],
    author: "hubot",
    state: "closed",
    reason: "not_planned",
  },
  {
    repo: "helloWorld",
    title: "Greeting is printed twice",
    body: "Running the program prints the greeting twice.",
    labels: ["bug"],
  },
  // octocat/dotfiles (outside the installation)
  { repo: "dotfiles", title: "Move to a new shell prompt", body: "Try a faster prompt." },
];

/** Where seed issue `title` lives: `{owner, repo, number}` (throws for an unknown title). */
export function seededIssue(title: string) {
  const entry = SEED_ISSUES.find((issue) => issue.title === title);
  if (!entry) throw new Error(`No seeded issue titled ${title}`);
  const number = SEED_ISSUES.filter((issue) => issue.repo === entry.repo).indexOf(entry) + 1;
  const repo = SEED.repos[entry.repo];
  return { owner: repo.owner, repo: repo.name, fullName: repo.fullName, number, pullRequest: Boolean(entry.pr) };
}

const BASE_TIME = Date.parse("2026-01-05T09:00:00Z");
const HOUR = 3_600_000;

export function seed(state: GithubState) {
  const octocat = state.addAccount({
    login: "octocat",
    id: SEED.accountIds.octocat,
    name: "The Octocat",
    company: "@acme",
    location: "San Francisco",
    bio: "Admin of every repository",
  });
  state.addAccount({
    login: "hubot",
    id: SEED.accountIds.hubot,
    name: "Hubot",
    bio: "Reads the acme repositories, cannot push",
  });
  state.addAccount({
    login: "monalisa",
    id: SEED.accountIds.monalisa,
    name: "Mona Lisa Octocat",
    location: "Paris",
    bio: "Writes acme/web, cannot see acme/roadmap",
  });
  state.addAccount({
    login: "acme",
    id: SEED.accountIds.acme,
    type: "Organization",
    name: "Acme Corp",
    bio: "We make everything",
  });

  state.addInstallation({ account: "acme", id: SEED.installations.acme, repositorySelection: "all" });
  state.addInstallation({ account: "octocat", id: SEED.installations.octocat, repositorySelection: "selected" });

  const access: Record<RepoKey, Record<string, Permission>> = {
    roadmap: { octocat: "admin", hubot: "read" },
    web: { octocat: "admin", monalisa: "write", hubot: "read" },
    helloWorld: {},
    dotfiles: {},
  };
  const details: Record<
    RepoKey,
    { private: boolean; description: string; installationId?: number; createdAt: string }
  > = {
    roadmap: {
      private: true,
      description: "What Acme builds next",
      installationId: SEED.installations.acme,
      createdAt: "2025-06-02T10:00:00Z",
    },
    web: {
      private: true,
      description: "acme.example website",
      installationId: SEED.installations.acme,
      createdAt: "2025-03-14T10:00:00Z",
    },
    helloWorld: {
      private: false,
      description: "My first repository on GitHub!",
      installationId: SEED.installations.octocat,
      createdAt: "2011-01-26T19:01:12Z",
    },
    dotfiles: { private: true, description: "My configuration files", createdAt: "2024-02-10T10:00:00Z" },
  };

  for (const key of Object.keys(SEED.repos) as RepoKey[]) {
    const { owner, name, id } = SEED.repos[key];
    const repo = state.addRepo({ owner, name, id, collaborators: access[key], ...details[key] });
    for (const [labelName, label] of Object.entries(LABELS)) state.addLabel(repo, { name: labelName, ...label });
    for (const milestone of MILESTONES[key] ?? []) state.addMilestone(repo, { ...milestone, creator: octocat.login });
  }

  SEED_ISSUES.forEach((entry, index) => {
    const repo = state.repoOrThrow(SEED.repos[entry.repo].id);
    const created = BASE_TIME + index * 24 * HOUR + (index % 5) * HOUR;
    const issue = state.createIssue(repo, entry.author ?? "octocat", {
      title: entry.title,
      body: entry.body ?? null,
      createdAt: state.timestamp(created),
      silent: true,
      pullRequest: entry.pr
        ? { mergedAt: entry.pr.merged ? state.timestamp(created + 30 * HOUR) : null, draft: entry.pr.draft ?? false }
        : undefined,
    });
    // Seeded as octocat (push access) so labels, assignees and milestones stick whoever the author is.
    if (entry.labels) issue.labels = entry.labels.map((n) => repo.labels.find((l) => l.name === n)!.id);
    if (entry.assignees) issue.assignees = [...entry.assignees];
    if (entry.milestone) issue.milestone = entry.milestone;
    issue.updatedAt = state.timestamp(created + 6 * HOUR);
    if (entry.state === "closed") {
      issue.state = "closed";
      // Pull requests carry no state reason; issues close as completed or not planned.
      issue.stateReason = entry.pr ? null : (entry.reason ?? "completed");
      issue.closedAt = state.timestamp(created + 30 * HOUR);
      issue.closedBy = "octocat";
      issue.updatedAt = issue.closedAt;
    }
  });
}
