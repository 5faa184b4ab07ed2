-- Hand-written migration: database rules that schema.prisma cannot express.
-- Prisma's diff does not see partial indexes (without the partialIndexes preview feature), functions
-- or triggers, so none of this shows up as drift; lib/db/migrations.int.test.ts checks that.

-- A cluster name is unique among a team's live clusters; DELETED, REJECTED and EXPIRED ones free it.
CREATE UNIQUE INDEX "VirtualCluster_team_name_live_key" ON "VirtualCluster"("teamId", "name")
  WHERE "phase" NOT IN ('DELETED', 'REJECTED', 'EXPIRED');

-- AuditEvent is append-only: rows can be inserted, never changed or deleted. The one UPDATE allowed is
-- the foreign keys' ON DELETE SET NULL (deleting a user or team nulls actorId/teamId; actorEmail
-- still records who it was), and only if nothing else in the row changes.
CREATE FUNCTION "AuditEvent_reject_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (NEW."actorId" IS NULL OR NEW."actorId" = OLD."actorId")
     AND (NEW."teamId" IS NULL OR NEW."teamId" = OLD."teamId")
     AND to_jsonb(NEW) - 'actorId' - 'teamId' = to_jsonb(OLD) - 'actorId' - 'teamId' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only: % of audit event % is not allowed', TG_OP, OLD."id"
    USING HINT = 'Audit events can only be inserted.';
END
$$;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "AuditEvent_reject_change"();
