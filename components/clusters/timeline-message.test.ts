import { describe, expect, it } from "vitest";
import { messageParts, withNames } from "@/components/clusters/timeline-message";

const ada = { email: "admin@example.com", name: "Ada Admin" };
const dana = { email: "dev.payments@example.com", name: "Dana Developer" };

describe("timeline messages", () => {
  it("names people instead of their e-mails and keeps the rest as written", () => {
    expect(messageParts("Approved by admin@example.com: for the Q4 migration", [ada])).toEqual([
      { kind: "text", text: "Approved by " },
      { kind: "person", person: ada },
      { kind: "text", text: ": for the Q4 migration" },
    ]);
    expect(messageParts("admin@example.com revoked dev.payments@example.com's access", [ada, dana]).map((p) => p.kind)).toEqual(["person", "text", "person", "text"]);
  });

  it("leaves an e-mail without a known name as text", () => {
    expect(messageParts("Requested by someone@example.com", [ada])).toEqual([{ kind: "text", text: "Requested by someone@example.com" }]);
  });

  it("finds the instants a message names, for the reader's own time zone", () => {
    expect(messageParts("Lifetime ended (2026-03-04T14:05:00.000Z): deleting the cluster", [])).toEqual([
      { kind: "text", text: "Lifetime ended (" },
      { kind: "time", iso: "2026-03-04T14:05:00.000Z" },
      { kind: "text", text: "): deleting the cluster" },
    ]);
  });

  it("replaces e-mails by names in plain text", () => {
    expect(withNames("Rejected by admin@example.com: use a Sandbox", [ada])).toBe("Rejected by Ada Admin: use a Sandbox");
    expect(withNames("nothing to replace", [ada])).toBe("nothing to replace");
  });
});
