import fs from "node:fs";
import path from "node:path";
import type { Question, TaskConfig, TaskDefinition } from "../task";
import { RowError } from "../task";
import { cachedDownload } from "./download";
import { hubSplitFiles } from "./hub";
import { DataFileError, readRows, type MalformedRow } from "./read-rows";

export interface DataOptions {
  /** `--data`: a local file or folder, or an http(s) URL; null = the hub dataset. */
  data: string | null;
  /** Where downloads are kept. */
  cacheDir: string;
}

export interface LoadedSplit {
  /** Questions per subtask (null for a task without subtasks), in data order. */
  bySubtask: Map<string | null, Question[]>;
  malformed: MalformedRow[];
  notes: string[];
}

const isUrl = (data: string) => /^https?:\/\//i.test(data);

/** The subtask a single data file holds: its name, when that names one of the task's subtasks. */
function subtaskOfFile(file: string, subtasks: string[] | null): string | null {
  if (subtasks === null) return null;
  const stem = path.basename(new URL(file, "file:///").pathname).replace(/\.(jsonl\.gz|jsonl|ndjson|json|csv|parquet)$/i, "");
  const found = subtasks.find((s) => stem === s || stem.startsWith(`${s}_`));
  if (!found) throw new DataFileError(`${file} is one file, but this task has subtasks and its name matches none of them; point --data at the folder holding them`);
  return found;
}

/** The files holding one split of one subtask, or null when a local folder has none of them. */
async function splitFiles(task: TaskDefinition, config: TaskConfig, split: string, subtask: string | null, options: DataOptions): Promise<string[] | null> {
  const { data } = options;
  if (data === null) {
    const hubConfig = config.data.hub_config?.replaceAll("{subtask}", subtask ?? "") ?? null;
    return hubSplitFiles(config.data.hub, hubConfig, split, options.cacheDir);
  }
  if (isUrl(data)) return [await cachedDownload(data, options.cacheDir)];
  if (!fs.existsSync(data)) throw new DataFileError(`--data ${data} does not exist; pass a data file or a folder holding the task's files`);
  if (fs.statSync(data).isFile()) return [data];
  for (const candidate of task.localFiles(split, subtask)) {
    const file = path.join(data, candidate);
    if (fs.existsSync(file)) return [file];
  }
  return null;
}

/** Subtasks to load: all declared ones, or with a local folder those whose files are there. */
async function subtasksToLoad(task: TaskDefinition, config: TaskConfig, options: DataOptions, notes: string[]): Promise<(string | null)[]> {
  const declared = config.data.subtasks;
  if (declared === null) return [null];
  const { data } = options;
  if (data !== null && (isUrl(data) || fs.statSync(data).isFile())) return [subtaskOfFile(data, declared)];
  if (data === null) return declared;
  const present: string[] = [];
  for (const subtask of declared) if ((await splitFiles(task, config, config.data.split, subtask, options)) !== null) present.push(subtask);
  if (present.length === 0) {
    throw new DataFileError(`--data ${data} holds no split ${config.data.split} of any subtask of ${task.name} (looked for e.g. ${task.localFiles(config.data.split, declared[0]).join(", ")})`);
  }
  if (present.length < declared.length) notes.push(`${task.name}: ${present.length} of ${declared.length} subtasks found in ${data}; running those (${present.slice(0, 6).join(", ")}${present.length > 6 ? ", ..." : ""})`);
  return present;
}

/**
 * Loads one split of a task as questions. A row the task cannot parse is counted with its row
 * number and skipped; a missing or mis-formatted file stops the load with a message naming it.
 */
export async function loadSplit(task: TaskDefinition, config: TaskConfig, split: string, options: DataOptions, subtasks?: (string | null)[]): Promise<LoadedSplit> {
  const out: LoadedSplit = { bySubtask: new Map(), malformed: [], notes: [] };
  const ids = new Set<string>();
  for (const subtask of subtasks ?? (await subtasksToLoad(task, config, options, out.notes))) {
    const files = await splitFiles(task, config, split, subtask, options);
    if (files === null) {
      const where = subtask ? `subtask ${subtask} of ${task.name}` : task.name;
      throw new DataFileError(`--data ${options.data} has no split ${split} for ${where} (looked for ${task.localFiles(split, subtask).join(", ")})`);
    }
    const questions: Question[] = [];
    let offset = 0;
    for (const file of files) {
      const { rows, malformed } = await readRows(file, { headerlessCsvColumns: task.headerlessCsvColumns });
      out.malformed.push(...malformed);
      for (const { row, index, value } of rows) {
        try {
          const question = task.parse(value, { index: offset + index, subtask });
          if (ids.has(question.id)) throw new RowError(`duplicate id ${question.id}`);
          ids.add(question.id);
          questions.push(question);
        } catch (error) {
          if (!(error instanceof RowError)) throw error;
          out.malformed.push({ file, row, reason: error.message });
        }
      }
      offset += rows.length + malformed.length;
    }
    out.bySubtask.set(subtask, questions);
  }
  return out;
}

/** "3 malformed rows skipped in test.jsonl: rows 4, 7, 9 (row 4: not valid JSON ...)" per file. */
export function describeMalformed(malformed: readonly MalformedRow[]): string[] {
  const byFile = new Map<string, MalformedRow[]>();
  for (const m of malformed) byFile.set(m.file, [...(byFile.get(m.file) ?? []), m]);
  return [...byFile].map(([file, rows]) => {
    const numbers = rows.slice(0, 20).map((r) => r.row).join(", ") + (rows.length > 20 ? `, ... (${rows.length - 20} more)` : "");
    return `${rows.length} malformed row${rows.length === 1 ? "" : "s"} skipped in ${file}: row${rows.length === 1 ? "" : "s"} ${numbers} (row ${rows[0].row}: ${rows[0].reason})`;
  });
}
