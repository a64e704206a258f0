/**
 * Card details are GitHub-flavoured Markdown (CDS Hooks 2.0); the page renders them with
 * markdown-it, as an EHR integrator would, not with a parser of its own. Raw HTML is off (a card
 * can never inject markup or script: it is shown as text), only http(s) links survive, links
 * open in a new tab without access to this page, and headings move two levels down so that a
 * card never outranks the page.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

// markdown-it already refuses javascript:, vbscript:, file: and data: links; a card has no
// business linking anywhere but the web either.
md.validateLink = (url) => /^https?:\/\//i.test(url.trim());

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.attrSet("target", "_blank");
  token.attrSet("rel", "noopener noreferrer");
  return self.renderToken(tokens, idx, options);
};

const demoteHeading: NonNullable<typeof md.renderer.rules.heading_open> = (tokens, idx, options, _env, self) => {
  const token = tokens[idx]!;
  token.tag = `h${Math.min(Number(token.tag.slice(1)) + 2, 6)}`;
  return self.renderToken(tokens, idx, options);
};
md.renderer.rules.heading_open = demoteHeading;
md.renderer.rules.heading_close = demoteHeading;

export function renderMarkdown(markdown: string): string {
  return md.render(markdown);
}
