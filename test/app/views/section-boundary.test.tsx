// @vitest-environment jsdom
/**
 * A section that meets data it cannot display fails alone: its place says so, and the sections
 * beside it, the risk among them, still render (React unmounts the whole tree for an error no
 * boundary catches).
 */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SectionBoundary } from "../../../app/views/SectionBoundary.tsx";

afterEach(cleanup);

/** A section whose data it cannot display (as a field sent as an object where text belongs did). */
function Unrenderable(): never {
  throw new TypeError("Objects are not valid as a React child");
}

describe("SectionBoundary", () => {
  it("shows the failed section's message in its place and leaves the others rendered", () => {
    // React reports the caught error on the console; nothing else is expected there.
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    render(
      <main>
        <SectionBoundary name="The risk">
          <p>Risk 3.1%</p>
        </SectionBoundary>
        <SectionBoundary name="The imaging results">
          <Unrenderable />
        </SectionBoundary>
        <SectionBoundary name="The trend">
          <p>Trend table</p>
        </SectionBoundary>
      </main>,
    );
    expect(screen.getByText("Risk 3.1%")).toBeTruthy();
    expect(screen.getByText("Trend table")).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toBe(
      "The imaging results could not be shown: the app met data it could not display. The other sections are not affected.",
    );
    consoleError.mockRestore();
  });

  it("renders its section as it is when nothing fails", () => {
    render(
      <SectionBoundary name="The risk">
        <p>Risk 3.1%</p>
      </SectionBoundary>,
    );
    expect(screen.getByText("Risk 3.1%")).toBeTruthy();
    expect(screen.queryByRole("alert")).toBeNull();
  });
});
