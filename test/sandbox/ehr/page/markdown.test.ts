import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../../sandbox/ehr/page/markdown.ts";

describe("renderMarkdown", () => {
  it("renders paragraphs, lists, emphasis, code and links", () => {
    const html = renderMarkdown("Risk **12.3%** in *one* year.\n\n- BMI `31`\n- see [card](https://example.org/x)\n\n1. first\n2. second");
    expect(html).toBe(
      "<p>Risk <strong>12.3%</strong> in <em>one</em> year.</p>\n" +
        "<ul><li>BMI <code>31</code></li><li>see <a href=\"https://example.org/x\" target=\"_blank\" rel=\"noopener noreferrer\">card</a></li></ul>\n" +
        "<ol><li>first</li><li>second</li></ol>",
    );
  });

  it("renders headings two levels down, so a card never outranks the page", () => {
    expect(renderMarkdown("## Why")).toBe("<h4>Why</h4>");
  });

  it("escapes markup and drops non-http links", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"> [x](javascript:alert(1))');
    expect(html).not.toContain("<img");
    expect(html).not.toContain("href");
    expect(html).toContain("&lt;img");
  });
});
