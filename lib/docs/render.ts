import MarkdownIt from "markdown-it";

/** A heading's anchor as GitHub makes it, so links into docs/*.md work there and in the app alike. */
export function headingSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

// The docs are the project's own files, but raw HTML stays off all the same.
const md = new MarkdownIt({ html: false, linkify: false });
md.core.ruler.push("heading_ids", (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type === "heading_open") tokens[i].attrSet("id", headingSlug(tokens[i + 1].content.replace(/`/g, "")));
  }
});

/** A Markdown document as HTML with an id on every heading. */
export const renderDoc = (markdown: string) => md.render(markdown);
