import type { ReactNode } from "react";

/** A column header that sorts on click, showing the direction (TanStack Table's sort state). */
export function SortableTh({ sorted, numeric, title, onClick, children }: { sorted: false | "asc" | "desc"; numeric?: boolean; title?: string; onClick?: (event: unknown) => void; children: ReactNode }) {
  return (
    <th className={`sortable${numeric ? " num" : ""}`} title={title} onClick={onClick} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
      {children}
      <span className="sort">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : ""}</span>
    </th>
  );
}
