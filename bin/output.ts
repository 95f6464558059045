import { terminalSafe } from "@/lib/format/terminal";

// All the CLI prints goes through these two (ESLint's no-console holds bin/ to it): names of
// models, tasks and files come from outside and may carry terminal escape sequences.

/** A line (or lines) of results on stdout. */
export function print(text: string): void {
  process.stdout.write(`${terminalSafe(text)}\n`);
}

/** A message on stderr. */
export function printError(text: string): void {
  process.stderr.write(`${terminalSafe(text)}\n`);
}

/** Commander's own help and usage errors, which repeat what was typed. */
export const commanderOutput = {
  writeOut: (text: string) => void process.stdout.write(terminalSafe(text)),
  writeErr: (text: string) => void process.stderr.write(terminalSafe(text)),
};
