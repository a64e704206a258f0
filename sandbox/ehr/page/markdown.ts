/**
 * A small, safe Markdown renderer for card details (CDS Hooks: `detail` is GitHub-flavoured
 * Markdown). Everything is HTML-escaped first, so a card can never inject markup or script;
 * only http(s) links survive. Handles what cards use: paragraphs, headings, lists, emphasis,
 * inline code and links.
 */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

function inline(escaped: string): string {
  return escaped
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/(^|[^*])\*([^*\s][^*]*)\*/g, "$1<em>$2</em>")
    .replace(/\b_([^_]+)_\b/g, "<em>$1</em>")
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
}

type Block = { kind: "p" | "ul" | "ol"; lines: string[] } | { kind: "h"; level: number; text: string };

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  for (const raw of markdown.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      current = undefined;
    } else if (heading) {
      out.push({ kind: "h", level: (heading[1] ?? "#").length, text: heading[2] ?? "" });
      current = undefined;
    } else if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      const text = (bullet ?? numbered)?.[1] ?? "";
      if (current?.kind !== kind) out.push((current = { kind, lines: [] }));
      current.lines.push(text);
    } else if (current?.kind === "p") {
      current.lines.push(line.trim());
    } else {
      out.push((current = { kind: "p", lines: [line.trim()] }));
    }
  }
  return out;
}

export function renderMarkdown(markdown: string): string {
  return blocks(escapeHtml(markdown))
    .map((b) => {
      if (b.kind === "h") {
        const tag = `h${Math.min(b.level + 2, 6)}`;
        return `<${tag}>${inline(b.text)}</${tag}>`;
      }
      if (b.kind === "p") return `<p>${inline(b.lines.join(" "))}</p>`;
      return `<${b.kind}>${b.lines.map((l) => `<li>${inline(l)}</li>`).join("")}</${b.kind}>`;
    })
    .join("\n");
}
