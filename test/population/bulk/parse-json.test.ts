/**
 * The Bulk Data client parses JSON in one place (population/bulk/parse-json.ts): its error names
 * what was parsed and never quotes the text, which may be a private key, a token, a pre-signed
 * URL or a patient's data (V8's own message quotes the text around the fault).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseJson } from "../../../population/bulk/parse-json.ts";
import { postGroup } from "../../../population/bulk/post-group.ts";
import { tempDir } from "../fixtures.ts";

const BULK_DIR = fileURLToPath(new URL("../../../population/bulk/", import.meta.url));
const SECRET = "PAT-SECRET-77";

describe("parseJson", () => {
  it("returns the value of JSON text", () => {
    expect(parseJson('{"a":[1,"x"]}', "a thing")).toEqual({ a: [1, "x"] });
  });

  it("names what was parsed and its length, and quotes none of the text", () => {
    const text = `member: Patient/${SECRET}, Doe Jane`;
    const error = (() => {
      try {
        parseJson(text, "/data/high-risk-group.json");
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(error?.message).toBe(`/data/high-risk-group.json is not JSON (${text.length} characters)`);
    for (let i = 0; i + 4 <= SECRET.length; i++) expect(error?.message).not.toContain(SECRET.slice(i, i + 4));
  });

  it("returns the fallback instead, when one is given", () => {
    expect(parseJson("<html>busy</html>", "an error answer", null)).toBeNull();
    expect(parseJson("{}", "an error answer", null)).toEqual({});
  });

  it("is the only JSON.parse of the Bulk Data client", () => {
    const callers = readdirSync(BULK_DIR)
      .filter((name) => name.endsWith(".ts"))
      .filter((name) => /JSON\.parse\(/.test(readFileSync(join(BULK_DIR, name), "utf8").replace(/^\s*(\*|\/\/).*$/gm, "")));
    expect(callers).toEqual(["parse-json.ts"]);
  });
});

describe("postGroup's Group file", () => {
  it("names the file, and quotes nothing of it, when it is not JSON (sending nothing)", async () => {
    const file = join(tempDir("patella-badgroup-"), "high-risk-group.json");
    writeFileSync(file, `member: Patient/${SECRET}, Doe Jane`);
    const error = await postGroup("https://ehr.example/fhir", file, async () => "tok").catch((e: Error) => e);
    expect(String(error)).toMatch(new RegExp(`^Error: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not JSON \\(\\d+ characters\\)$`));
    expect(String(error)).not.toContain("Pa");
  });
});
