"use client";

import { useEffect, useState } from "react";
import { DEFAULT_QUERY, useRunQuestions, type ColumnBatch, type QuestionQuery, type RunSource } from "@/lib/query";
import { QuestionDetailPanel } from "./question-detail";
import { QuestionFilters } from "./question-filters";
import { QuestionTable } from "./question-table";

interface Props {
  source: RunSource;
  /** The first rows, read on the server: shown before the browser has read anything. */
  preview: ColumnBatch | null;
  primaryMetric: string;
}

/** Filters, the virtualized question list and the detail of the selected question. */
export function QuestionBrowser({ source, preview, primaryMetric }: Props) {
  const [query, setQuery] = useState<QuestionQuery>(DEFAULT_QUERY);
  const [searchText, setSearchText] = useState("");
  const [selectedRow, setSelectedRow] = useState<number | null>(null);
  const questions = useRunQuestions(source, query, preview);

  // search as the user types, but not on every keystroke
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q.search === searchText ? q : { ...q, search: searchText })), 250);
    return () => clearTimeout(timer);
  }, [searchText]);

  if (questions.phase === "error") {
    return (
      <p className="callout error" role="alert" data-testid="records-error">
        {questions.error}
      </p>
    );
  }

  return (
    <>
      <QuestionFilters
        query={query}
        onChange={setQuery}
        searchText={searchText}
        onSearchText={setSearchText}
        questions={questions}
        primaryMetric={primaryMetric}
      />
      <div className={selectedRow === null ? "browser no-detail" : "browser"}>
        <QuestionTable questions={questions} query={query} onSort={(sort) => setQuery((q) => ({ ...q, sort }))} selectedRow={selectedRow} onSelect={setSelectedRow} />
        {selectedRow !== null && <QuestionDetailPanel source={source} row={selectedRow} onClose={() => setSelectedRow(null)} />}
      </div>
    </>
  );
}
