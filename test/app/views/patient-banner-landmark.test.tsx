// @vitest-environment jsdom
/**
 * The patient banner sits in a landmark (axe's "region" on every app view in the clinician
 * review of 2026-12), named "Patient", without a second banner landmark beside the page's title
 * and without a change of look: the line keeps its one styled element.
 */
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { PatientBanner } from "../../../app/views/PatientBanner.tsx";

afterEach(cleanup);

describe("the patient banner's landmark", () => {
  it("is a landmark named Patient that holds the banner's line", () => {
    render(<PatientBanner patient={{ resourceType: "Patient", name: [{ given: ["Pedro"], family: "Garcia" }], gender: "male", birthDate: "1947-06-06" }} />);
    const landmark = screen.getByRole("region", { name: "Patient" });
    expect(within(landmark).getByTestId("patient-banner").textContent).toBe("Pedro Garcia · male · born 1947-06-06");
    // Not a banner landmark: index.html's <header> is the page's one.
    expect(screen.queryByRole("banner")).toBeNull();
  });

  it("looks as before: the styled line is the same element with the same class, the landmark adds none", () => {
    render(<PatientBanner patient={{ resourceType: "Patient", gender: "female" }} />);
    const line = screen.getByTestId("patient-banner");
    expect(line.tagName).toBe("P");
    expect(line.className).toBe("banner");
    expect(line.parentElement?.getAttribute("class")).toBeNull();
  });

  it("renders no empty landmark without a patient", () => {
    const { container } = render(<PatientBanner />);
    expect(container.innerHTML).toBe("");
  });
});
