import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function TeamNotFound() {
  return <NotFoundMessage title="Team not found">There is no such team, or you are not one of its members.</NotFoundMessage>;
}
