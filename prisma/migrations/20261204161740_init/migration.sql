-- CreateEnum
CREATE TYPE "CardLinkState" AS ENUM ('connected', 'disabled');

-- CreateEnum
CREATE TYPE "SyncJobState" AS ENUM ('pending', 'running', 'done', 'dead');

-- CreateTable
CREATE TABLE "miro_teams" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "miro_teams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "miro_users" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "miro_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "miro_tokens" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "access_token_enc" TEXT NOT NULL,
    "refresh_token_enc" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "refresh_token_expires_at" TIMESTAMP(3),
    "scopes" TEXT NOT NULL DEFAULT '',
    "needs_reconnect" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "miro_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "github_accounts" (
    "id" TEXT NOT NULL,
    "miro_user_id" TEXT NOT NULL,
    "github_user_id" TEXT NOT NULL,
    "login" TEXT NOT NULL,
    "access_token_enc" TEXT NOT NULL,
    "refresh_token_enc" TEXT,
    "access_token_expires_at" TIMESTAMP(3),
    "refresh_token_expires_at" TIMESTAMP(3),
    "needs_reconnect" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "github_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "card_links" (
    "id" TEXT NOT NULL,
    "board_id" TEXT NOT NULL,
    "card_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "provider" TEXT NOT NULL DEFAULT 'github',
    "issue_node_id" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "repo" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "creator_id" TEXT,
    "last_issue_updated_at" TIMESTAMP(3),
    "state" "CardLinkState" NOT NULL DEFAULT 'connected',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "card_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" TEXT NOT NULL,
    "delivery_id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "action" TEXT,
    "received_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMP(3),

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_jobs" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "state" "SyncJobState" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 8,
    "next_attempt_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_states" (
    "id" TEXT NOT NULL,
    "state_hash" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "miro_user_id" TEXT,
    "team_id" TEXT,
    "verifier_enc" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "link_tickets" (
    "id" TEXT NOT NULL,
    "ticket_hash" TEXT NOT NULL,
    "miro_user_id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "link_tickets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "miro_tokens_team_id_idx" ON "miro_tokens"("team_id");

-- CreateIndex
CREATE UNIQUE INDEX "miro_tokens_user_id_team_id_key" ON "miro_tokens"("user_id", "team_id");

-- CreateIndex
CREATE UNIQUE INDEX "github_accounts_miro_user_id_key" ON "github_accounts"("miro_user_id");

-- CreateIndex
CREATE INDEX "github_accounts_github_user_id_idx" ON "github_accounts"("github_user_id");

-- CreateIndex
CREATE INDEX "card_links_provider_issue_node_id_idx" ON "card_links"("provider", "issue_node_id");

-- CreateIndex
CREATE INDEX "card_links_provider_owner_repo_number_idx" ON "card_links"("provider", "owner", "repo", "number");

-- CreateIndex
CREATE INDEX "card_links_creator_id_idx" ON "card_links"("creator_id");

-- CreateIndex
CREATE UNIQUE INDEX "card_links_board_id_card_id_key" ON "card_links"("board_id", "card_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_deliveries_delivery_id_key" ON "webhook_deliveries"("delivery_id");

-- CreateIndex
CREATE INDEX "webhook_deliveries_received_at_idx" ON "webhook_deliveries"("received_at");

-- CreateIndex
CREATE INDEX "sync_jobs_state_next_attempt_at_idx" ON "sync_jobs"("state", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "oauth_states_state_hash_key" ON "oauth_states"("state_hash");

-- CreateIndex
CREATE INDEX "oauth_states_expires_at_idx" ON "oauth_states"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "link_tickets_ticket_hash_key" ON "link_tickets"("ticket_hash");

-- CreateIndex
CREATE INDEX "link_tickets_expires_at_idx" ON "link_tickets"("expires_at");

-- AddForeignKey
ALTER TABLE "miro_tokens" ADD CONSTRAINT "miro_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "miro_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "miro_tokens" ADD CONSTRAINT "miro_tokens_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "miro_teams"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "github_accounts" ADD CONSTRAINT "github_accounts_miro_user_id_fkey" FOREIGN KEY ("miro_user_id") REFERENCES "miro_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "card_links" ADD CONSTRAINT "card_links_creator_id_fkey" FOREIGN KEY ("creator_id") REFERENCES "miro_users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "link_tickets" ADD CONSTRAINT "link_tickets_miro_user_id_fkey" FOREIGN KEY ("miro_user_id") REFERENCES "miro_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
