import { didYouMean } from "./suggest";

/** How a suite's runs combine into one number. */
export type Aggregate = "mean" | "mean_of_means" | "none";

export interface Suite {
  name: string;
  description: string;
  /** Task specs, `name` or `name:variant`. */
  tasks: string[];
  /**
   * mean: the mean of the tasks' primary metrics. mean_of_means: each task's subtasks averaged
   * first (an MMLU subject counts once however many questions it has), then the tasks.
   */
  aggregate: Aggregate;
}

const suites = new Map<string, Suite>();

export function registerSuite(suite: Suite): void {
  if (suites.has(suite.name)) throw new Error(`suite ${suite.name} is registered twice`);
  suites.set(suite.name, suite);
}

export function getSuite(name: string): Suite | undefined {
  return suites.get(name);
}

export function allSuites(): Suite[] {
  return [...suites.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function suiteNames(): string[] {
  return allSuites().map((s) => s.name);
}

/** One task's result within a suite: its primary metric overall and per subtask. */
export interface SuiteMember {
  task: string;
  value: number | null;
  subtaskMeans: number[];
}

/** The suite's aggregate over its members' results, or null when undefined (rule none, a value missing). */
export function aggregateSuite(rule: Aggregate, members: readonly SuiteMember[]): number | null {
  if (rule === "none" || members.length === 0) return null;
  const values = members.map((m) => (rule === "mean_of_means" && m.subtaskMeans.length > 0 ? m.subtaskMeans.reduce((a, b) => a + b, 0) / m.subtaskMeans.length : m.value));
  if (values.some((v) => v === null)) return null;
  return (values as number[]).reduce((a, b) => a + b, 0) / values.length;
}

/** `-t` values expanded: a suite becomes its tasks (remembering the suite), a task stays itself. */
export function expandSpecs(specs: readonly string[], knownTasks: readonly string[]): { spec: string; suite: string | null }[] {
  return specs.flatMap((spec): { spec: string; suite: string | null }[] => {
    const suite = suites.get(spec);
    if (suite) return suite.tasks.map((task) => ({ spec: task, suite: suite.name }));
    const name = spec.split(":")[0];
    if (!knownTasks.includes(name)) {
      throw new Error(`unknown task or suite ${spec}${didYouMean(spec, [...knownTasks, ...suites.keys()])}; \`evalbench tasks\` and \`evalbench suites\` list them`);
    }
    return [{ spec, suite: null }];
  });
}
