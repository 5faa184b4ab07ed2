import type { TPersonName } from "@/lib/domain/get-cluster-detail";

// Timeline messages are written once, in words, when something happens ("Approved by admin@example.com",
// "Lifetime ended (2026-03-04T14:05:00.000Z): …"). People read them with names and times of their own.

export type TMessagePart = { kind: "text"; text: string } | { kind: "person"; person: TPersonName } | { kind: "time"; iso: string };

const ISO_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?Z";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Pure: the message cut into text, the people it names by e-mail (those with a name) and the instants it names. */
export function messageParts(message: string, people: readonly TPersonName[]): TMessagePart[] {
  const byEmail = new Map(people.map((p) => [p.email, p]));
  const pattern = new RegExp([...[...byEmail.keys()].sort((a, b) => b.length - a.length).map(escape), ISO_TIME].join("|"), "g");
  const parts: TMessagePart[] = [];
  let at = 0;
  for (const m of message.matchAll(pattern)) {
    if (m.index > at) parts.push({ kind: "text", text: message.slice(at, m.index) });
    const person = byEmail.get(m[0]);
    parts.push(person ? { kind: "person", person } : { kind: "time", iso: m[0] });
    at = m.index + m[0].length;
  }
  if (at < message.length) parts.push({ kind: "text", text: message.slice(at) });
  return parts;
}

/** Pure: the text with each named person's e-mail replaced by their name (for plain-text places such as step details). */
export function withNames(text: string, people: readonly TPersonName[]): string {
  return people.reduce((t, p) => t.split(p.email).join(p.name), text);
}
