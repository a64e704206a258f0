// @vitest-environment jsdom
/**
 * Where the index date came from, said in About (for the clinician) and in the launch details
 * (for support staff): the card's appContext, the card's launch link (an EHR that drops
 * appContext), or today.
 */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { SmartSession } from "../../../app/smart/session.ts";
import { LaunchDetails } from "../../../app/views/LaunchDetails.tsx";
import { ModelInfo } from "../../../app/views/ModelInfo.tsx";

afterEach(cleanup);

const CARD = "0b6f3c1e-5d2a-4c8e-9f71-2a4b6c8d0e1f";
const aboutText = (source: SmartSession["indexDateSource"]) => {
  render(<ModelInfo model={{ status: "pending" }} indexDate="2026-11-30" indexDateSource={source} modelCardUrl="model-card.html" />);
  return screen.getByTestId("model-info").textContent;
};

describe("where the index date came from", () => {
  it("About names the card's launch link when the date came from it", () => {
    expect(aboutText("launch-link")).toContain(
      "Index date 2026-11-30 (the date of the CDS card that opened the app, from its launch link: the EHR sent no appContext)",
    );
  });

  it("About names the card's appContext, or today, otherwise", () => {
    expect(aboutText("card")).toContain("Index date 2026-11-30 (the date of the CDS card that opened the app)");
    cleanup();
    expect(aboutText("today")).toContain("Index date 2026-11-30 (today in UTC, as the CDS service dates its cards)");
  });

  it("the launch details show the card id and date the launch link carried", () => {
    const session = { patientId: "p1", grantedScope: "", indexDate: "2026-11-30", indexDateSource: "launch-link", cardUuid: CARD } as SmartSession;
    render(<LaunchDetails session={session} />);
    expect(screen.getByTestId("launch-link-context").textContent).toBe(`card ${CARD}, index date 2026-11-30`);
  });

  it("the launch details say the link carried none otherwise", () => {
    render(<LaunchDetails session={{ patientId: "p1", grantedScope: "", indexDate: "2026-11-30", indexDateSource: "today" } as SmartSession} />);
    expect(screen.getByTestId("launch-link-context").textContent).toBe("none");
  });
});
