import { LogOut } from "lucide-react";
import { signOut } from "@/lib/auth/config";

export function SignOutButton() {
  return (
    <form
      action={async () => {
        "use server";
        await signOut({ redirectTo: "/signin" });
      }}
    >
      <button type="submit" className="flex items-center gap-1 rounded-md p-2 text-slate-600 sm:px-2 sm:py-1.5 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">
        <LogOut className="size-4" aria-hidden />
        <span className="max-sm:sr-only">Sign out</span>
      </button>
    </form>
  );
}
