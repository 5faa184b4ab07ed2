import { NotFoundMessage } from "@/components/layout/not-found-message";

export default function ClusterNotFound() {
  return (
    <NotFoundMessage title="Cluster not found">
      It does not exist, or it belongs to a team you are not in. Ask a member of its team if you need access.
    </NotFoundMessage>
  );
}
