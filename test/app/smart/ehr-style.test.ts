// @vitest-environment jsdom
/** smart_style_url: the EHR's fonts, colours and radius become CSS variables, but only if the app stays readable. */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contrastRatio } from "../../../app/smart/contrast.ts";
import { applyEhrStyle, ehrStyleVariables } from "../../../app/smart/ehr-style.ts";

const STYLE = "https://ehr.example/style.json";
const GOOD = {
  color_background: "#f3f5f9",
  color_text: "#1a2330",
  color_highlight: "#0b4f8a",
  font_family_body: "'DejaVu Sans', Verdana, sans-serif",
  font_family_heading: "Georgia, serif",
  dim_border_radius: "4px",
};

describe("contrastRatio (WCAG 2.1)", () => {
  it("is 21 for black on white, 1 for a colour on itself, and just under 4.5 for #777777 on white", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 6);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 6);
    expect(contrastRatio("#0b4f8a", "#0b4f8a")).toBe(1);
    // (1.05) / (0.184 + 0.05), L(#777777) = 0.18447: 4.478
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.478, 2);
  });
});

describe("ehrStyleVariables", () => {
  it("takes fonts, radius, page and text colours and the link colour when they read well", () => {
    expect(ehrStyleVariables(GOOD)).toEqual({
      "--font-body": "'DejaVu Sans', Verdana, sans-serif",
      "--font-heading": "Georgia, serif",
      "--radius": "4px",
      "--page": "#f3f5f9",
      "--text": "#1a2330",
      "--link": "#0b4f8a",
    });
  });

  it("refuses a text or link colour under 4.5:1 on any surface, and then keeps the app's page colour too", () => {
    // #777777 is 4.48:1 on white: one of the app's surfaces.
    const vars = ehrStyleVariables({ ...GOOD, color_text: "#777777", color_highlight: "#777777" });
    expect(vars["--text"]).toBeUndefined();
    expect(vars["--link"]).toBeUndefined();
    expect(vars["--page"]).toBeUndefined();
    expect(vars["--font-body"]).toBe(GOOD.font_family_body);
    // A dark page makes the app's own dark text unreadable: neither is taken.
    expect(ehrStyleVariables({ color_background: "#101010", color_text: "#f0f0f0" })).toEqual({});
  });

  it("ignores values that are not what SMART says (no CSS injection) and anything that is not an object", () => {
    expect(
      ehrStyleVariables({ font_family_body: "x; background: url(https://evil.example)", dim_border_radius: "4px; color: red", color_text: "black", color_highlight: "#12345" }),
    ).toEqual({});
    expect(ehrStyleVariables(null)).toEqual({});
    expect(ehrStyleVariables("#000000")).toEqual({});
  });
});

describe("applyEhrStyle", () => {
  const server = setupServer(
    http.get(STYLE, () => HttpResponse.json(GOOD)),
    http.get("https://ehr.example/missing.json", () => new HttpResponse("no", { status: 404 })),
    http.get("https://ehr.example/broken.json", () => new HttpResponse("{not json", { headers: { "content-type": "application/json" } })),
  );
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  it("sets the variables on the root element", async () => {
    const root = document.createElement("html");
    await applyEhrStyle(STYLE, root);
    expect(root.style.getPropertyValue("--font-heading")).toBe("Georgia, serif");
    expect(root.style.getPropertyValue("--page")).toBe("#f3f5f9");
  });

  it("leaves the app's own style when the file is missing or not JSON", async () => {
    for (const url of ["https://ehr.example/missing.json", "https://ehr.example/broken.json"]) {
      const root = document.createElement("html");
      await applyEhrStyle(url, root);
      expect(root.getAttribute("style")).toBeNull();
    }
  });
});
