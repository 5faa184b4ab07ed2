// Auth.js endpoints: /api/auth/signin, /callback/<provider>, /session, /csrf, /signout, /providers.
import { handlers } from "@/lib/auth/config";

export const { GET, POST } = handlers;
