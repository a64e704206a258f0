import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../sandbox/ehr/page/markdown.ts";

describe("renderMarkdown (markdown-it, HTML off)", () => {
  it("renders paragraphs, lists, emphasis, code and links", () => {
    const html = renderMarkdown("Risk **12.3%** in *one* year.\n\n- BMI `31`\n- see [card](https://example.org/x)\n\n1. first\n2. second");
    expect(html).toBe(
      "<p>Risk <strong>12.3%</strong> in <em>one</em> year.</p>\n" +
        "<ul>\n<li>BMI <code>31</code></li>\n" +
        '<li>see <a href="https://example.org/x" target="_blank" rel="noopener noreferrer">card</a></li>\n</ul>\n' +
        "<ol>\n<li>first</li>\n<li>second</li>\n</ol>\n",
    );
  });

  it("renders headings two levels down, so a card never outranks the page", () => {
    expect(renderMarkdown("## Why")).toBe("<h4>Why</h4>\n");
    expect(renderMarkdown("##### Deep")).toBe("<h6>Deep</h6>\n");
  });

  it("shows raw HTML as text and drops links that are not http(s)", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"> [x](javascript:alert(1)) [y](data:text/html,hi) [z](mailto:a@b.example)');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("href");
    expect(html).toContain("&lt;img");
  });

  it("follows CommonMark where a hand-written parser did not: escapes, nested lists, tables", () => {
    expect(renderMarkdown("\\*not emphasis\\* and 2 * 3 * 4")).toBe("<p>*not emphasis* and 2 * 3 * 4</p>\n");
    expect(renderMarkdown("- a\n  - b")).toBe("<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n");
    expect(renderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |")).toContain("<table>");
  });
});
