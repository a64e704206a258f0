// @vitest-environment jsdom
/**
 * The page for an authorization that did not complete: a refusal names who can fix it (a
 * relaunch gets the same answer); the authorization server failing (HTTP 5xx from its token
 * endpoint) refused nothing, so the page says a relaunch may work.
 */
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AuthorizationError, AuthorizationServerError } from "../../../app/smart/session.ts";
import { AuthorizationFailed } from "../../../app/views/AuthorizationFailed.tsx";

afterEach(cleanup);

describe("AuthorizationFailed", () => {
  it("says the EHR's authorization server failed and that relaunching may work, for a 5xx", () => {
    render(<AuthorizationFailed error={new AuthorizationServerError("the token endpoint answered HTTP 503")} />);
    const alert = screen.getByRole("alert");
    expect(screen.getByRole("heading").textContent).toBe("The EHR's authorization server failed");
    expect(alert.textContent).toContain("Patella was not refused: launch it again from the patient's chart in the EHR, which may work.");
    expect(alert.textContent).toContain("Detail: the token endpoint answered HTTP 503");
    expect(alert.textContent).not.toMatch(/refused to authorize|will not help/);
  });

  it("says the EHR refused and a relaunch will not help, for an OAuth refusal", () => {
    render(<AuthorizationFailed error={new AuthorizationError("the token endpoint answered HTTP 401: invalid_client")} />);
    expect(screen.getByRole("heading").textContent).toBe("The EHR refused to authorize Patella");
    expect(screen.getByRole("alert").textContent).toContain("Relaunching will not help");
  });
});
