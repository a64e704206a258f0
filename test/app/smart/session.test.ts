// @vitest-environment jsdom
/** The session read from a real fhirclient Client's token response: banner, style, index date. */
import BrowserAdapterModule from "fhirclient/lib/adapters/BrowserAdapter.js";
import { describe, expect, it } from "vitest";
import { sessionFrom } from "../../../app/smart/session.ts";

const BrowserAdapter = ("default" in BrowserAdapterModule ? BrowserAdapterModule.default : BrowserAdapterModule) as typeof BrowserAdapterModule.default;

function client(token: Record<string, unknown>) {
  return new BrowserAdapter().getSmartApi().client({ serverUrl: "https://ehr.example/fhir", tokenResponse: { access_token: "t", patient: "p1", ...token } });
}

describe("sessionFrom", () => {
  it("shows the app's patient banner unless the EHR says need_patient_banner: false", () => {
    expect(sessionFrom(client({}), "2026-01-02").needPatientBanner).toBe(true);
    expect(sessionFrom(client({ need_patient_banner: true }), "2026-01-02").needPatientBanner).toBe(true);
    expect(sessionFrom(client({ need_patient_banner: false }), "2026-01-02").needPatientBanner).toBe(false);
  });

  it("keeps smart_style_url when the EHR sends one, and has none otherwise", () => {
    expect(sessionFrom(client({ smart_style_url: "https://ehr.example/style.json" }), "2026-01-02").styleUrl).toBe("https://ehr.example/style.json");
    expect(sessionFrom(client({}), "2026-01-02")).not.toHaveProperty("styleUrl");
  });

  it("refuses a patient id outside FHIR's id syntax: no reference could name it, so no record could be told to be theirs", () => {
    expect(() => sessionFrom(client({ patient: "pat_1" }), "2026-01-02")).toThrow("The EHR gave a patient id that is not a FHIR id");
    expect(sessionFrom(client({ patient: "p-1.2" }), "2026-01-02").patientId).toBe("p-1.2");
  });

  it("takes the card's index date from appContext, else today", () => {
    const fromCard = sessionFrom(client({ appContext: '{"indexDate":"2025-06-30"}' }), "2026-01-02");
    expect(fromCard).toMatchObject({ indexDate: "2025-06-30", indexDateSource: "card" });
    expect(sessionFrom(client({ appContext: '{"indexDate":"2025-02-30"}' }), "2026-01-02")).toMatchObject({ indexDate: "2026-01-02", indexDateSource: "today" });
  });
});

describe("sessionFrom and the card's context from the launch link (EHRs that drop appContext)", () => {
  const CARD = "0b6f3c1e-5d2a-4c8e-9f71-2a4b6c8d0e1f";

  it("takes the launch link's index date when the token has no appContext, and says so", () => {
    const session = sessionFrom(client({}), "2026-01-02", { indexDate: "2026-01-01", cardUuid: CARD });
    expect(session).toMatchObject({ indexDate: "2026-01-01", indexDateSource: "launch-link", cardUuid: CARD });
  });

  it("lets the token's appContext index date win over the link's", () => {
    const session = sessionFrom(client({ appContext: '{"indexDate":"2025-06-30"}' }), "2026-01-02", { indexDate: "2026-01-01" });
    expect(session).toMatchObject({ indexDate: "2025-06-30", indexDateSource: "card" });
  });

  it("takes the link's date when the token's appContext has no valid index date", () => {
    const session = sessionFrom(client({ appContext: '{"indexDate":"2025-02-30"}' }), "2026-01-02", { indexDate: "2026-01-01" });
    expect(session).toMatchObject({ indexDate: "2026-01-01", indexDateSource: "launch-link" });
  });
});
