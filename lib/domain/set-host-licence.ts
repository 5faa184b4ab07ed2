import { z } from "zod";
import { formBoolean } from "@/lib/domain/form-boolean";
import { encryptHostPlatformKey } from "@/lib/crypto/secret-box";
import { recordAudit } from "@/lib/domain/audit";
import { defineUseCase } from "@/lib/domain/use-case";
import { AppError, notFound } from "@/lib/errors";

/**
 * Where the platform is, as vCluster stores it in the Secret's `host` key: host name and port without the scheme
 * (pkg/platform/secret.go trims "https://"). People paste the address they open in a browser, so a scheme and a
 * trailing slash are accepted and dropped.
 */
const platformHost = z
  .string()
  .trim()
  .min(1, "Enter the address of your vCluster Platform, e.g. platform.example.com")
  .max(253, "Keep the address under 254 characters")
  .transform((raw, ctx) => {
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a host name such as platform.example.com (optionally with :port)" });
      return z.NEVER;
    }
    if (url.protocol !== "https:" || url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
      ctx.addIssue({ code: "custom", message: "Enter only the platform's https address: a host name and optionally a port, no path" });
      return z.NEVER;
    }
    return url.host;
  });

export const ZSetHostLicence = z.object({
  hostId: z.string().min(1),
  platformHost,
  /** Empty keeps the stored key (changing the project or address needs no new key). */
  accessKey: z
    .string()
    .trim()
    .max(4096, "An access key is shorter than 4096 characters")
    .refine((v) => !/\s/.test(v), "An access key has no spaces or line breaks")
    .default(""),
  project: z
    .string()
    .trim()
    .max(63, "A project name is at most 63 characters")
    .regex(/^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "A project name is lower-case letters, digits and dashes")
    .default("")
    .transform((v) => v || "default"),
  insecure: formBoolean().default(false),
});
export type TSetHostLicence = z.input<typeof ZSetHostLicence>;

/**
 * An admin gives a host a vCluster Platform licence (docs/vcluster.md, "A licence per host"): the access key is
 * stored encrypted like the host's kubeconfig and never shown again. Each cluster on the host runs the licensed
 * control-plane image with the Secret `vcluster-platform-api-key` from its next install on: new clusters, and
 * running ones when they are next woken, retried or repaired. Running control planes are not restarted for it.
 */
export const setHostLicence = defineUseCase({
  name: "host.set-licence",
  input: ZSetHostLicence,
  permission: { action: "host.manage", refusal: "Only admins can manage host clusters." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const host = await tx.hostCluster.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, platformAccessKeyEncrypted: true } });
      if (!host) throw notFound("Host cluster");
      if (!input.accessKey && !host.platformAccessKeyEncrypted) {
        throw new AppError("VALIDATION", "The host has no access key yet.", { accessKey: ["Paste the access key the platform gave you for this host"] });
      }
      await tx.hostCluster.update({
        where: { id: host.id },
        data: {
          platformHost: input.platformHost,
          platformProject: input.project,
          platformInsecure: input.insecure,
          ...(input.accessKey ? { platformAccessKeyEncrypted: encryptHostPlatformKey(host.id, input.accessKey) } : {}),
        },
      });
      await recordAudit(tx, ctx, {
        action: "host.licence.set",
        targetType: "host",
        targetId: host.id,
        details: { name: host.name, platformHost: input.platformHost, project: input.project, insecure: input.insecure, newAccessKey: Boolean(input.accessKey) },
      });
      return { name: host.name, platformHost: input.platformHost };
    });
  },
});
