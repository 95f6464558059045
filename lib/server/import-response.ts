import { inFormWords } from "@/lib/importers/form-words";
import { ImportError } from "@/lib/importers/types";
import { errorResponse } from "./workspace";

/**
 * An error from an import as a JSON response: the upload folder's path is taken out of the
 * message, so it names the files as the user dropped them, and flags become the form's fields.
 * Source problems are 400s: the user's to fix.
 */
export function importErrorResponse(error: unknown, uploadDir: string | null): Response {
  const message = inFormWords((error as Error).message);
  const status = (error as { status?: number }).status ?? (error instanceof ImportError ? 400 : 500);
  return errorResponse(Object.assign(new Error(uploadDir ? message.replaceAll(`${uploadDir}/`, "") : message), { status }));
}
