-- AlterTable
ALTER TABLE "link_tickets" ADD COLUMN     "completed_at" TIMESTAMP(3),
ADD COLUMN     "completion_hash" TEXT,
ADD COLUMN     "pending_enc" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "link_tickets_completion_hash_key" ON "link_tickets"("completion_hash");
