// Integration: an unknown team slug and a team you are not in are indistinguishable — same error, and the
// same database work (one query finding nothing), so neither the answer nor its timing tells them apart.
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getTeamOverview } from "@/lib/domain/team-overview";
import { AppError } from "@/lib/errors";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
let queries: string[] = [];

/** A client that reports every SQL statement it sends. */
function loggingClient(url: string) {
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }), log: [{ emit: "event", level: "query" }] });
  client.$on("query", (e) => queries.push(e.query));
  return client;
}
let logged: ReturnType<typeof loggingClient>;

beforeAll(() => {
  logged = loggingClient(testDb.url());
});
afterAll(async () => {
  await logged?.$disconnect();
});

/** What getTeamOverview did for this person and slug: the error it threw and the SQL it ran. */
async function outcome(email: string, slug: string) {
  const ctx = { ...(await actorContext(testDb.prisma(), email)), db: logged as unknown as PrismaClient };
  queries = [];
  const error = await getTeamOverview(ctx, { slug }).then(
    () => null,
    (e: unknown) => e,
  );
  return { error, queries: [...queries] };
}

describe("team page data: unknown team vs a team you are not in", () => {
  it("answers both with the same not-found error after the same single query", async () => {
    const notMine = await outcome("dev.search@example.com", "payments"); // exists; dev.search is not in it
    const unknown = await outcome("dev.search@example.com", "no-such-team");

    for (const o of [notMine, unknown]) {
      expect(o.error).toBeInstanceOf(AppError);
      expect((o.error as AppError).code).toBe("NOT_FOUND");
    }
    expect((notMine.error as AppError).message).toBe((unknown.error as AppError).message);
    expect((notMine.error as AppError).fieldErrors).toEqual((unknown.error as AppError).fieldErrors);
    expect(notMine.queries).toHaveLength(1);
    expect(notMine.queries).toEqual(unknown.queries); // same statement, parameters aside
  });

  it("still shows the team to its members and to admins", async () => {
    const member = await outcome("dev.payments@example.com", "payments");
    expect(member.error).toBeNull();
    const admin = await outcome("admin@example.com", "payments");
    expect(admin.error).toBeNull();
    // An admin looking for a team that does not exist gets the same not found.
    const adminUnknown = await outcome("admin@example.com", "no-such-team");
    expect((adminUnknown.error as AppError).code).toBe("NOT_FOUND");
  });
});
