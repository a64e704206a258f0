/** The words of a server's OperationOutcome, for the sandbox, the Bulk client and the imaging import. */
import { describe, expect, it } from "vitest";
import { outcomeIssueTexts } from "../../shared/operation-outcome-text.ts";

describe("outcomeIssueTexts", () => {
  it("takes each issue's diagnostics, else details.text, else code", () => {
    const outcome = {
      resourceType: "OperationOutcome",
      issue: [
        { severity: "error", code: "invalid", diagnostics: "bad date", details: { text: "not this" } },
        { severity: "error", code: "invalid", details: { text: "from details" } },
        { severity: "error", code: "throttled" },
      ],
    };
    expect(outcomeIssueTexts(outcome)).toEqual(["bad date", "from details", "throttled"]);
  });

  it("skips a blank or non-text field for the next one, and an issue with no text at all", () => {
    const outcome = { resourceType: "OperationOutcome", issue: [{ diagnostics: "  ", details: { text: { div: "x" } }, code: "processing" }, { diagnostics: 7 }, null, "text"] };
    expect(outcomeIssueTexts(outcome)).toEqual(["processing"]);
  });

  it("gives nothing for what is not an OperationOutcome with an array of issues", () => {
    for (const body of [undefined, null, "OperationOutcome", { resourceType: "OperationOutcome" }, { resourceType: "OperationOutcome", issue: { diagnostics: "x" } }, { resourceType: "Bundle", issue: [{ diagnostics: "x" }] }]) {
      expect(outcomeIssueTexts(body), JSON.stringify(body)).toEqual([]);
    }
  });
});
