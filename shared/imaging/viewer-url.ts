/**
 * The image viewer link of a result, from a site-configured template: `{studyUid}`,
 * `{seriesUid}` and `{wadoRsBase}` (the address of the study's Endpoint, for WADO-RS) are
 * replaced, URL-encoded (`{wadoRsBase}` as is: it is itself a URL). For example an OHIF viewer:
 * `https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}`, or WADO-RS:
 * `{wadoRsBase}/studies/{studyUid}/series/{seriesUid}`.
 *
 * A template that starts with `{wadoRsBase}` lets the FHIR server's Endpoint choose the link's
 * host: anyone who may write an Endpoint (or an ImagingStudy that names one) could send the
 * clinician's "open in the viewer" to a site of their choosing. So the address is used there only
 * on one of the site's image servers (`imageOrigins`, as for heat maps) and over TLS (plain http on
 * this machine only); elsewhere in a template it is only an encoded parameter.
 */
import { isTlsOrLoopback } from "../fhir-server-url.ts";

export interface ViewerTarget {
  studyUid: string | null;
  seriesUid: string | null;
  wadoRsBase: string | null;
}

/** The filled template, or null when it names a value the result lacks, its `{wadoRsBase}` base
 * is not on one of `imageOrigins`, or it yields no http(s) URL. */
export function viewerUrlOf(template: string | undefined, target: ViewerTarget, imageOrigins: readonly string[] = []): string | null {
  if (template === undefined || template === "") return null;
  let missing = false;
  const filled = template.replace(/\{(studyUid|seriesUid|wadoRsBase)\}/g, (_m, name: keyof ViewerTarget, at: number) => {
    const value = target[name];
    // The Endpoint's address comes from the FHIR server: only an http(s) URL, and as is only
    // where it is the link's base (and on an image server); anywhere else encoded, so it cannot
    // add parameters.
    const base = name === "wadoRsBase" && at === 0;
    if (value === null || (name === "wadoRsBase" && !isHttpUrl(value)) || (base && !onImageServer(value, imageOrigins))) {
      missing = true;
      return "";
    }
    return base ? value.replace(/\/+$/, "") : encodeURIComponent(value);
  });
  if (missing) return null;
  return isHttpUrl(filled) ? filled : null;
}

function onImageServer(url: string, imageOrigins: readonly string[]): boolean {
  return isTlsOrLoopback(url) && imageOrigins.includes(new URL(url).origin);
}

/** Only http(s) URLs with a host may become links: never a javascript: or data: URL from a
 * template, an Endpoint or a Media, nor `https:host` or `https:///host`, which browsers would
 * read as a host named by whatever follows. */
export function isHttpUrl(url: string): boolean {
  if (!/^https?:\/\/[^/\\\s]/i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}

/** A DICOM UID: digits in dot-separated components, at most 64 characters (PS3.5 9.1). */
export function isDicomUid(value: string): boolean {
  return /^[0-9]+(\.[0-9]+)*$/.test(value) && value.length <= 64;
}

/** A DICOM UID from an identifier value (`urn:oid:1.2.3` or `1.2.3`), or null. */
export function dicomUidOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const uid = value.replace(/^urn:oid:/, "");
  return isDicomUid(uid) ? uid : null;
}
