"use client";

import { useEffect, useState } from "react";
import { DEFAULT_QUERY, useRunQuestions, type ColumnBatch, type QuestionQuery, type RunSource } from "@/lib/query";
import { findQuestionRow, questionSearch, type QuestionRef } from "@/lib/query/question-url";
import { QuestionDetailPanel } from "./question-detail";
import { QuestionFilters } from "./question-filters";
import { QuestionTable } from "./question-table";
import { SubtaskScores } from "./subtask-scores";

interface Props {
  source: RunSource;
  /** The first rows, read on the server: shown before the browser has read anything. */
  preview: ColumnBatch | null;
  primaryMetric: string;
  /** The run's own primary score, marked on the per-subtask chart. */
  overall: number | null;
  /** The question the address names (?q=ID[&sample=N]), opened once the rows are read. */
  linked: QuestionRef | null;
}

/** Puts the open question in the address bar, so it can be copied as a link. */
function showInAddress(question: QuestionRef | null): void {
  const url = new URL(window.location.href);
  url.search = question ? questionSearch(question) : "";
  window.history.replaceState(window.history.state, "", url);
}

/** Scores by subtask, filters, the virtualized question list and the detail of the selected question. */
export function QuestionBrowser({ source, preview, primaryMetric, overall, linked }: Props) {
  const [query, setQuery] = useState<QuestionQuery>(DEFAULT_QUERY);
  const [searchText, setSearchText] = useState("");
  const [selectedRow, setSelectedRow] = useState<number | null>(null);
  const [linkState, setLinkState] = useState<"waiting" | "opened" | "missing">(linked ? "waiting" : "opened");
  const [linkedRow, setLinkedRow] = useState<number | null>(null);
  const questions = useRunQuestions(source, query, preview);

  // search as the user types, but not on every keystroke
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q.search === searchText ? q : { ...q, search: searchText })), 250);
    return () => clearTimeout(timer);
  }, [searchText]);

  // the linked question opens once every row's id is read
  const allRows = questions.allRows;
  useEffect(() => {
    if (!linked || linkState !== "waiting" || !allRows) return;
    const row = findQuestionRow(allRows, linked);
    // eslint-disable-next-line react-hooks/set-state-in-effect -- the rows arrive asynchronously; this runs once per link
    setLinkState(row === null ? "missing" : "opened");
    if (row !== null) {
      setSelectedRow(row);
      setLinkedRow(row);
    }
  }, [linked, linkState, allRows]);

  const select = (row: number | null) => {
    setSelectedRow(row);
    const id = row === null ? null : questions.cell(row, "instance_id");
    showInAddress(row === null || id === null ? null : { id: String(id), sample: Number(questions.cell(row, "sample") ?? 0) });
  };

  if (questions.phase === "error") {
    return (
      <p className="callout error" role="alert" data-testid="records-error">
        {questions.error}
      </p>
    );
  }

  return (
    <>
      {allRows && <SubtaskScores rows={allRows} metric={primaryMetric} overall={overall} />}
      <QuestionFilters
        query={query}
        onChange={setQuery}
        searchText={searchText}
        onSearchText={setSearchText}
        questions={questions}
        primaryMetric={primaryMetric}
      />
      {linked && linkState === "missing" && (
        <p className="callout warn" role="alert" data-testid="linked-missing">
          The link names question {linked.id}
          {linked.sample > 0 && ` (sample ${linked.sample})`}, which this run does not hold.
        </p>
      )}
      <div className={selectedRow === null ? "browser no-detail" : "browser"}>
        <QuestionTable source={source} questions={questions} query={query} onSort={(sort) => setQuery((q) => ({ ...q, sort }))} selectedRow={selectedRow} onSelect={select} reveal={linkedRow} />
        {selectedRow !== null && <QuestionDetailPanel source={source} row={selectedRow} search={query.search} onClose={() => select(null)} />}
      </div>
    </>
  );
}
