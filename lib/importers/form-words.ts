// The importers' messages name the CLI's flags; the runs page's import form has fields instead.
// An error there names the field to fill, and a flag the form does not offer says it is the CLI's.

const FIELDS: Record<string, string> = {
  "--format": "Format",
  "--model-name": "Model name",
  "--checkpoint": "Checkpoint",
  "--step": "Step",
  "--task": "Task",
  "--skip-bad-rows": '"skip rows that cannot be read"',
  "--id": "the mapping's id",
  "--score": "the mapping's score",
  "--response": "the mapping's response",
  "--target": "the mapping's target",
  "--prompt": "the mapping's prompt",
  "--subtask": "the mapping's subtask",
  "--cluster": "the mapping's cluster",
};

/** An import error in the web form's words: each flag becomes the form field that sets it. */
export function inFormWords(message: string): string {
  return message
    .replace(/(name it|give it|set) with (--[a-z-]+)/g, (_, _verb: string, flag: string) => (FIELDS[flag] ? `set ${FIELDS[flag]}` : `${flag} (evalbench import on the command line)`))
    .replace(/pass --skip-bad-rows/g, `tick ${FIELDS["--skip-bad-rows"]}`)
    .replace(/--[a-z][a-z-]*/g, (flag) => FIELDS[flag] ?? `${flag} (evalbench import on the command line)`);
}
