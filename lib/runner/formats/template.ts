/** Fills `{field}` placeholders; a placeholder the question lacks is an error naming the fields it has. */
export function fill(template: string, fields: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = fields[name];
    if (value === undefined) throw new Error(`template placeholder {${name}} is not a field of this task's questions; they have: ${Object.keys(fields).map((f) => `{${f}}`).join(", ")}`);
    return value;
  });
}

export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** "A. first\nB. second": answer options as lettered lines, for the `{choices}` placeholder. */
export function letteredChoices(choices: readonly string[]): string {
  return choices.map((choice, i) => `${LETTERS[i]}. ${choice}`).join("\n");
}
