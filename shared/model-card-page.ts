/**
 * The model card (models/deep-koa/MODEL_CARD.md) as a page a clinician can read: rendered with
 * markdown-it at build time (raw HTML in the Markdown shown as text, as the sandbox's card
 * renderer does), with the synthetic-data disclaimer on top. The app builds it beside launch.html
 * and the CDS service serves it as the cards' source link: a browser shows the Markdown file
 * itself as raw text.
 */
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; color: #1d2733; background: #fff; margin: 0; }
main { max-width: 50rem; margin: 0 auto; padding: 1rem; }
h1, h2, h3 { line-height: 1.25; }
a { color: #005a8c; }
code { background: #f6f8fa; padding: 0 0.2em; border-radius: 3px; }
p > code, li > code, h2 > code, h3 > code { overflow-wrap: anywhere; }
pre { background: #f6f8fa; padding: 0.6rem; overflow-x: auto; }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: 0.6rem 0; }
th, td { border: 1px solid #c4ccd6; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f6f8fa; }
.disclaimer { background: #fff3cd; border: 1px solid #b38600; padding: 0.4rem 0.6rem; border-radius: 4px; }
`;

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

/** A complete HTML page; the title is the Markdown's first level-1 heading. */
export function modelCardPage(markdown: string, disclaimer: string): string {
  const title = /^# (.+)$/m.exec(markdown)?.[1]?.trim() ?? "Model card";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="disclaimer" role="note">${escapeHtml(disclaimer)}</p>
${md.render(markdown)}</main>
</body>
</html>
`;
}
