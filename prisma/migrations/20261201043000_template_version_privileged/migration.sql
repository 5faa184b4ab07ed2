-- A template version whose values widen host privileges (lib/vcluster/privileged-keys.ts) must be marked
-- privileged by an admin; existing versions were published before the check and are not marked.
ALTER TABLE "TemplateVersion" ADD COLUMN "privileged" BOOLEAN NOT NULL DEFAULT false;
