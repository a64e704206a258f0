// @vitest-environment jsdom
/**
 * A card's links as the EHR page renders them: a CDS service is another system, and its card's
 * links[].url and source.url end up in an href (or, for a smart link, an iframe's src), where a
 * `javascript:` URL would run in the EHR page. Only http: and https: URLs become links; the
 * card says how many others it had, and of which scheme.
 */
import { describe, expect, it } from "vitest";
import { readCard } from "../../../../sandbox/ehr/page/card-types.ts";
import { renderCards } from "../../../../sandbox/ehr/page/cards-view.ts";
import type { ServiceResult } from "../../../../sandbox/ehr/page/api.ts";

const base = { summary: "Risk", indicator: "info", source: { label: "Stub service" } };

function render(card: Record<string, unknown>): { container: HTMLElement; launched: string[] } {
  const container = document.createElement("div");
  const launched: string[] = [];
  const result: ServiceResult = { baseUrl: "http://127.0.0.1:1", serviceId: "stub", status: 200, elapsedMs: 1, cards: [card] };
  renderCards(container, [result], { launchApp: (link) => void launched.push(link.url) });
  return { container, launched };
}

const hrefs = (container: HTMLElement) => [...container.querySelectorAll("a")].map((a) => a.getAttribute("href"));

describe("a card's links", () => {
  it("renders no anchor for javascript: links or source.url; says 3 were not shown", () => {
    const { container } = render({
      ...base,
      source: { label: "Stub service", url: "javascript:alert(document.cookie)" },
      links: [
        { label: "Evil", url: "javascript:alert(1)", type: "absolute" },
        { label: "Evil too", url: " JavaScript:alert(2)", type: "absolute" },
        { label: "Guidance", url: "https://example.org/guidance", type: "absolute" },
      ],
    });
    expect(hrefs(container)).toEqual(["https://example.org/guidance"]);
    expect(container.querySelector('a[href*="javascript" i]')).toBeNull();
    // The source stays, as text.
    expect(container.querySelector(".source")?.textContent).toBe("Source: Stub service");
    expect(container.querySelector('[data-testid="refused-links"]')?.textContent).toBe(
      "3 links of this card not shown (javascript:): this EHR opens only http and https links.",
    );
    expect(container.textContent).not.toContain("Evil");
  });

  it("keeps no smart link to a javascript: or data: URL (it would become the app frame's src)", () => {
    const { container, launched } = render({
      ...base,
      links: [
        { label: "Evil app", url: "javascript:alert(1)", type: "smart" },
        { label: "Data app", url: "data:text/html,<script>alert(1)</script>", type: "smart" },
        { label: "Open the app", url: "http://127.0.0.1:4102/launch.html", type: "smart" },
      ],
    });
    const buttons = [...container.querySelectorAll<HTMLButtonElement>('[data-testid="smart-link"]')];
    expect(buttons.map((b) => b.textContent)).toEqual(["Open the app"]);
    buttons[0]!.click();
    expect(launched).toEqual(["http://127.0.0.1:4102/launch.html"]);
    expect(container.querySelector('[data-testid="refused-links"]')?.textContent).toBe(
      "2 links of this card not shown (javascript:, data:): this EHR opens only http and https links.",
    );
  });

  it("renders http and https links and source.url as anchors opening in a new tab, and no note", () => {
    const { container } = render({
      ...base,
      source: { label: "Stub service", url: "http://127.0.0.1:4101/model-card" },
      links: [{ label: "Guidance", url: "https://example.org/guidance", type: "absolute" }],
    });
    expect(hrefs(container)).toEqual(["http://127.0.0.1:4101/model-card", "https://example.org/guidance"]);
    for (const a of container.querySelectorAll("a")) expect([a.target, a.rel]).toEqual(["_blank", "noopener noreferrer"]);
    expect(container.querySelector('[data-testid="refused-links"]')).toBeNull();
  });

  it("counts a relative or unparsable URL and a vbscript: one as refused", () => {
    const card = readCard({
      ...base,
      source: { label: "s", url: "/model-card" },
      links: [
        { label: "a", url: "vbscript:msgbox(1)", type: "absolute" },
        { label: "b", url: "http://[not a host/", type: "absolute" },
        { label: "c", url: "https://ok.example/", type: "absolute" },
      ],
    });
    expect("invalid" in card).toBe(false);
    if ("invalid" in card) return;
    expect(card.source).toEqual({ label: "s" });
    expect(card.links.map((l) => l.url)).toEqual(["https://ok.example/"]);
    expect(card.refusedLinks).toEqual(["not an absolute URL", "vbscript:", "not an absolute URL"]);
  });
});
