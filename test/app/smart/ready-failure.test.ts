/**
 * What the app page says when fhirclient's ready() fails: an OAuth error answer from the
 * authorization server (on the redirect back, or from the token endpoint) is an authorization
 * error a relaunch cannot fix; only a session that is gone (no launch state, an expired or
 * unknown code) asks to relaunch. The token endpoint's errors are fhirclient's own HttpError,
 * read from a real Response as its request() does.
 */
import HttpErrorModule from "fhirclient/lib/HttpError.js";
import { describe, expect, it } from "vitest";
import { AuthorizationError, AuthorizationServerError, readyFailure, SessionLostError } from "../../../app/smart/session.ts";

const HttpError = ("default" in HttpErrorModule ? HttpErrorModule.default : HttpErrorModule) as typeof HttpErrorModule.default;

const APP_PAGE = "https://ehr.example/patella/app/index.html";
/** The launch this browser started: state "abc". */
const PENDING = (state: string) => state === "abc";

async function tokenEndpointError(status: number, body: unknown): Promise<Error> {
  const response = new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  Object.defineProperty(response, "url", { value: "https://ehr.example/auth/token" });
  return new HttpError(response).parse();
}

describe("readyFailure", () => {
  it("does not show an error on the redirect whose state names no launch of this browser: anyone can link there", () => {
    const planted = `${APP_PAGE}?error=access_denied&error_description=${encodeURIComponent("Call the helpdesk at +1-555-0100")}`;
    for (const page of [planted, `${planted}&state=someone-elses`]) {
      const failure = readyFailure(new Error("access_denied: Call the helpdesk at +1-555-0100"), page, PENDING);
      expect(failure).toBeInstanceOf(SessionLostError);
      expect(failure.message).not.toContain("helpdesk");
    }
  });

  it("reads an error on the redirect back as the authorization server's refusal, with its detail", () => {
    const page = `${APP_PAGE}?error=invalid_request&error_description=${encodeURIComponent("aud must be this server's FHIR base URL")}&state=abc`;
    // fhirclient's own error for it, as ready() throws it.
    const failure = readyFailure(new Error("invalid_request: aud must be this server's FHIR base URL"), page, PENDING);
    expect(failure).toBeInstanceOf(AuthorizationError);
    expect(failure.message).toBe("the authorization server answered invalid_request: aud must be this server's FHIR base URL");
  });

  it("reads a token endpoint's OAuth error other than invalid_grant as a refusal, without the endpoint's address", async () => {
    const failure = readyFailure(await tokenEndpointError(401, { error: "invalid_client", error_description: "unknown client" }), `${APP_PAGE}?code=c&state=abc`, PENDING);
    expect(failure).toBeInstanceOf(AuthorizationError);
    expect(failure.message).toBe("the token endpoint answered HTTP 401: invalid_client: unknown client");
  });

  it("asks to relaunch when the code expired or is unknown (invalid_grant), or there is no launch state", async () => {
    const expired = readyFailure(await tokenEndpointError(400, { error: "invalid_grant", error_description: "code expired" }), `${APP_PAGE}?code=c&state=abc`, PENDING);
    expect(expired).toBeInstanceOf(SessionLostError);
    expect(expired.message).toBe("the authorization code expired or is unknown (invalid_grant: code expired)");
    const noState = readyFailure(new Error("No state found! Please (re)launch the app."), APP_PAGE, PENDING);
    expect(noState).toBeInstanceOf(SessionLostError);
    expect(noState.message).toBe("No state found! Please (re)launch the app.");
  });

  it("reads a token endpoint's 5xx as the authorization server failing, not a refusal, with or without an OAuth body", async () => {
    const down = readyFailure(await tokenEndpointError(503, { error: "temporarily_unavailable" }), `${APP_PAGE}?code=c&state=abc`, PENDING);
    expect(down).toBeInstanceOf(AuthorizationServerError);
    expect(down.message).toBe("the token endpoint answered HTTP 503: temporarily_unavailable");
    const crashed = readyFailure(await tokenEndpointError(500, "Internal Server Error"), `${APP_PAGE}?code=c&state=abc`, PENDING);
    expect(crashed).toBeInstanceOf(AuthorizationServerError);
    expect(crashed.message).toBe("the token endpoint answered HTTP 500");
  });
});
