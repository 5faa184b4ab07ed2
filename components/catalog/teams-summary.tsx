import { Users } from "lucide-react";
import Link from "next/link";
import { QuotaMeters } from "@/components/teams/usage-bar";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import type { TTeamQuota } from "@/lib/domain/catalog";

/** The person's teams, their role in each and the team's quota: what is in use and what waits for approval. */
export function TeamsSummary({ teams }: { teams: TTeamQuota[] }) {
  if (teams.length === 0)
    return <EmptyState icon={<Users className="size-5" />} title="You are not in a team yet" description="Ask an admin to add you to a team; then you can request clusters for it." />;
  return (
    <ul className="space-y-5" aria-label="Your teams">
      {teams.map((t) => (
        <li key={t.teamId} className="space-y-2" data-testid="team">
          <div className="flex items-center justify-between gap-2">
            <Link href={`/teams/${t.teamSlug}`} className="font-medium hover:underline">{t.teamName}</Link>
            <Badge tone={t.role === "LEAD" ? "brand" : "neutral"}>{t.role === "LEAD" ? "Lead" : "Member"}</Badge>
          </div>
          <QuotaMeters usage={t.usage} limits={t.limits} size="sm" className="space-y-2" />
        </li>
      ))}
    </ul>
  );
}
