import type { ReactNode } from "react";
import { TERMS, termHref, type Term } from "@/lib/compare/explain";

/** A label with its short explanation on hover and a "?" that opens its section of docs/statistics.md. */
export function Explained({ term, children }: { term: Term; children: ReactNode }) {
  return (
    <span className="explained" title={TERMS[term].tip} data-testid={`explained-${term}`}>
      {children}
      <a className="explain-link" href={termHref(term)} target="_blank" rel="noopener" aria-label={`What this means (docs/statistics.md): ${TERMS[term].tip}`} onClick={(e) => e.stopPropagation()}>
        ?
      </a>
    </span>
  );
}
