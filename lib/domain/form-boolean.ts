import { z } from "zod";

/** A yes/no field as code passes it (a boolean) or a form posts it ("true"/"false", a checked box's "on"). */
export const formBoolean = () => z.union([z.boolean(), z.enum(["true", "false", "on"]).transform((v) => v !== "false")]);
