-- Hand-written (schema.prisma cannot express it; see docs/migrations.md).
--
-- Tokens issued before scopes were enforced could do everything: keep them working as they did.
-- New tokens name their scopes explicitly (default "read").
UPDATE "ApiToken" SET "scopes" = ARRAY['read', 'write']::TEXT[] WHERE cardinality("scopes") = 0;

-- A token has at least one scope and only known ones (lib/auth/api-token-scopes.ts holds the same list).
-- A trigger rather than a CHECK constraint: Prisma's WebAssembly schema engine panics while introspecting
-- CHECK constraints (migrate diff then prints nothing), while it ignores functions and triggers.
CREATE FUNCTION "ApiToken_scopes_known"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(NEW."scopes") = 0 OR NOT (NEW."scopes" <@ ARRAY['read', 'write']::TEXT[]) THEN
    RAISE EXCEPTION 'ApiToken_scopes_known: API token scopes must be a non-empty subset of {read,write}, not %', NEW."scopes"
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER "ApiToken_scopes_known"
BEFORE INSERT OR UPDATE OF "scopes" ON "ApiToken"
FOR EACH ROW EXECUTE FUNCTION "ApiToken_scopes_known"();
