"use client";

import { Menu, X } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { NavLink } from "@/components/layout/nav-link";

export type NavItem = { href: string; label: string };

/**
 * The main navigation: a row of links on wide screens; below `lg` a disclosure button ("Menu") that opens
 * them as a list under the header. Escape closes it and returns focus to the button; following a link or
 * clicking outside closes it.
 */
export function MainNav({ items }: { items: NavItem[] }) {
  const [open, setOpen] = useState(false);
  const nav = useRef<HTMLElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!nav.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);

  return (
    <nav ref={nav} aria-label="Main" className="flex min-w-0 flex-1 items-center text-sm">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-slate-700 hover:bg-slate-100 lg:hidden dark:text-slate-200 dark:hover:bg-slate-800"
      >
        {open ? <X className="size-4" aria-hidden /> : <Menu className="size-4" aria-hidden />}
        <span>Menu</span>
      </button>
      <ul
        id={listId}
        onClick={(e) => {
          if ((e.target as HTMLElement).closest("a")) setOpen(false);
        }}
        className={
          open
            ? "absolute inset-x-0 top-14 z-40 flex flex-col gap-1 border-b border-slate-200 bg-white p-3 shadow-lg lg:static lg:flex-row lg:border-0 lg:bg-transparent lg:p-0 lg:shadow-none dark:border-slate-800 dark:bg-slate-900 lg:dark:bg-transparent"
            : "hidden min-w-0 items-center gap-1 overflow-x-auto lg:flex"
        }
      >
        {items.map((item) => (
          <li key={item.href} className="flex flex-col">
            <NavLink href={item.href}>{item.label}</NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
