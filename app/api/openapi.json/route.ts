import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 document of /api/v1 (docs/api.md): public, like the API's shape; it changes with a deploy only. */
export function GET(): Response {
  return Response.json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } });
}
