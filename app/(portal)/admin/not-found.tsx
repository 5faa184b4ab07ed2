import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function AdminNotFound() {
  return <NotFoundMessage title="Page not found">This page does not exist, or you do not have access to it.</NotFoundMessage>;
}
