import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { modelCardPage } from "../../shared/model-card-page.ts";
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";

describe("modelCardPage", () => {
  it("is an HTML page of the Markdown, titled by its first heading, with the disclaimer on top", () => {
    const page = modelCardPage("# Deep-KOA card\n\nAUROC **0.81**.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## Limits", "Synthetic <data>.");
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain("<title>Deep-KOA card</title>");
    expect(page).toContain('<p class="disclaimer" role="note">Synthetic &lt;data&gt;.</p>');
    expect(page).toContain("<h1>Deep-KOA card</h1>\n<p>AUROC <strong>0.81</strong>.</p>");
    expect(page).toContain("<table>");
    expect(page).toContain("<h2>Limits</h2>");
    expect(page.indexOf("disclaimer")).toBeLessThan(page.indexOf("<h1>"));
  });

  it("shows raw HTML in the Markdown as text", () => {
    const page = modelCardPage('# T\n\n<script>alert(1)</script><img src=x onerror="y">', "d");
    expect(page).not.toContain("<script>");
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;script&gt;");
  });

  it("renders the shipped model card with its title and the synthetic-data disclaimer", () => {
    const page = modelCardPage(readFileSync("models/deep-koa/MODEL_CARD.md", "utf8"), MODEL_DISCLAIMER);
    expect(page).toMatch(/<title>[^<]*Deep-KOA[^<]*<\/title>/);
    expect(page).toContain("synthetic data");
    expect(page).not.toMatch(/^\| /m);
  });
});
