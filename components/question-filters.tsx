import type { ErrorFilter, QuestionQuery, RunQuestions, ScoreFilter } from "@/lib/query";
import { formatCount, formatScore } from "./format";

const SCORE_OPTIONS: { value: ScoreFilter; label: string }[] = [
  { value: "any", label: "any score" },
  { value: "full", label: "score = 1 (correct)" },
  { value: "zero", label: "score = 0 (wrong)" },
  { value: "partial", label: "0 < score < 1" },
  { value: "unscored", label: "unscored" },
];

const ERROR_OPTIONS: { value: ErrorFilter; label: string }[] = [
  { value: "any", label: "with or without errors" },
  { value: "errors", label: "errors only" },
  { value: "no-errors", label: "no errors" },
];

/** Option values: "all", or "=" + the subtask, so no subtask name can pass for "all". */
const ALL_SUBTASKS = "all";

interface Props {
  query: QuestionQuery;
  onChange: (query: QuestionQuery) => void;
  searchText: string;
  onSearchText: (text: string) => void;
  questions: RunQuestions;
  primaryMetric: string;
}

/** The question list's filters and a one-line summary of what they select. */
export function QuestionFilters({ query, onChange, searchText, onSearchText, questions, primaryMetric }: Props) {
  const ready = questions.phase === "ready";
  const summary = questions.summary;
  return (
    <div className="toolbar" data-testid="question-filters" data-phase={questions.phase}>
      <input
        type="search"
        placeholder={ready ? "Search prompt, response, target, id…" : "Search (query engine loading…)"}
        aria-label="Search questions"
        value={searchText}
        disabled={!ready}
        onChange={(event) => onSearchText(event.target.value)}
      />
      <select aria-label="Filter by score" value={query.score} disabled={!ready} onChange={(e) => onChange({ ...query, score: e.target.value as ScoreFilter })}>
        {SCORE_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <select
        aria-label="Filter by subtask"
        value={query.subtask === null ? ALL_SUBTASKS : `=${query.subtask}`}
        disabled={!ready}
        onChange={(e) => onChange({ ...query, subtask: e.target.value === ALL_SUBTASKS ? null : e.target.value.slice(1) })}
      >
        <option value={ALL_SUBTASKS}>all subtasks</option>
        {questions.subtasks.map(({ subtask, n }) => (
          <option key={subtask} value={`=${subtask}`}>
            {subtask === "" ? "(no subtask)" : subtask} ({formatCount(n)})
          </option>
        ))}
      </select>
      <select aria-label="Filter by error" value={query.error} disabled={!ready} onChange={(e) => onChange({ ...query, error: e.target.value as ErrorFilter })}>
        {ERROR_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <span className="spacer" />
      <span className="status-line" data-testid="question-summary">
        {questions.loadingText
          ? "Loading text for search…"
          : summary
            ? `${formatCount(summary.n)} ${summary.n === 1 ? "question" : "questions"} · mean ${primaryMetric} ${formatScore(summary.meanScore)} (${formatCount(summary.scored)} scored) · ${formatCount(summary.errors)} errors`
            : `${formatCount(questions.count)} of ${formatCount(questions.total)} questions loaded`}
      </span>
    </div>
  );
}
