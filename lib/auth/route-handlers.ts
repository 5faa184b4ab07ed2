// The Auth.js route handlers as app/api/auth/[...nextauth] serves them: Auth.js's own, with the reason of
// an IdP's error answer kept for the sign-in page (lib/auth/idp-error.ts).
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { withIdpErrorCode } from "@/lib/auth/idp-error";

export const authRouteHandlers = {
  GET: async (req: NextRequest): Promise<Response> => withIdpErrorCode(req, await handlers.GET(req)),
  POST: (req: NextRequest): Promise<Response> => handlers.POST(req),
};
