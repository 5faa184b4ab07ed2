// Auth.js endpoints: /api/auth/signin, /callback/<provider>, /session, /csrf, /signout, /providers.
import { authRouteHandlers } from "@/lib/auth/route-handlers";

export const { GET, POST } = authRouteHandlers;
