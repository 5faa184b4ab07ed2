import { Badge, type BadgeTone } from "@/components/ui/badge";
import { API_TOKEN_STATUS_LABELS, type ApiTokenStatus } from "@/lib/domain/api-token-status";

const tones: Record<ApiTokenStatus, BadgeTone> = { active: "success", expired: "neutral", revoked: "danger" };

export function TokenStatusBadge({ status }: { status: ApiTokenStatus }) {
  return (
    <Badge tone={tones[status]} dot>
      <span data-token-status={status}>{API_TOKEN_STATUS_LABELS[status]}</span>
    </Badge>
  );
}
