import { z } from "zod";

// Names become part of `vc-<team>-<name>` (a DNS-1123 label, 63 chars) and a Helm release (53 chars).
export const MAX_CLUSTER_NAME = 40;

export const ZClusterName = z
  .string({ error: "Name is required" })
  .trim()
  .min(1, "Name is required")
  .max(MAX_CLUSTER_NAME, `Name must be at most ${MAX_CLUSTER_NAME} characters`)
  .regex(/^[a-z]([-a-z0-9]*[a-z0-9])?$/, "Use lower-case letters, digits and '-'; start with a letter and end with a letter or digit");

const adjectives = ["amber", "brisk", "calm", "dusty", "eager", "fuzzy", "gentle", "hazy", "icy", "jolly", "keen", "lucky", "misty", "noble", "proud", "quiet", "rapid", "sunny", "tidy", "vivid"];
const nouns = ["otter", "falcon", "maple", "comet", "harbor", "lynx", "pebble", "cedar", "ember", "delta", "fjord", "heron", "orbit", "quartz", "river", "summit", "tundra", "willow", "zephyr", "basil"];

/** A friendly default name such as `sandbox-brisk-otter`; the caller checks it is free. */
export function suggestClusterName(prefix: string, random: () => number = Math.random): string {
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  return `${prefix}-${pick(adjectives)}-${pick(nouns)}`.slice(0, MAX_CLUSTER_NAME);
}
