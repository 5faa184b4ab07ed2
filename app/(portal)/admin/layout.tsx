import { adminContext } from "./guard";

// Decided above the admin pages' loading states: a refused person gets a real 404, not a 200 that streams
// the not-found page (docs/security.md).
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await adminContext("admin.area");
  return children;
}
