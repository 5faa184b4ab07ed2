import { NotFoundMessage } from "@/components/layout/not-found-message";

// Outside the portal's shell (no header): its own main landmark.
export default function NotFound() {
  return (
    <main id="main" className="flex min-h-[60vh] items-center justify-center px-4">
      <NotFoundMessage title="Page not found">There is nothing here, or you do not have access to it.</NotFoundMessage>
    </main>
  );
}
