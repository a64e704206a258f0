// @vitest-environment jsdom
/**
 * The launch details are for support staff: collapsed under a summary that says so, reached with
 * Tab. (That Enter opens it is the browser's: test/e2e/app.test.ts presses it in Chromium.)
 */
import { cleanup, render, screen } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { SmartSession } from "../../../app/smart/session.ts";
import { LaunchDetails } from "../../../app/views/LaunchDetails.tsx";

afterEach(cleanup);

const SESSION = { patientId: "p1", grantedScope: "launch patient/Patient.rs", indexDate: "2026-11-30" } as SmartSession;

describe("LaunchDetails", () => {
  it("is collapsed under 'Technical details (for support staff)', which Tab reaches and which opens it", async () => {
    const { container } = render(<LaunchDetails session={SESSION} />);
    const details = container.querySelector("details") as HTMLDetailsElement;
    expect(details).not.toBeNull();
    expect(details.open).toBe(false);
    const summary = screen.getByText("Technical details (for support staff)");
    expect(summary.tagName).toBe("SUMMARY");
    expect(details.contains(screen.getByTestId("scope"))).toBe(true);
    await userEvent.tab();
    expect(document.activeElement).toBe(summary);
    await userEvent.click(summary);
    expect(details.open).toBe(true);
    expect(screen.getByTestId("patient-id").textContent).toBe("p1");
  });
});
