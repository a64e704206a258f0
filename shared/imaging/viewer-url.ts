/**
 * The image viewer link of a result, from a site-configured template: `{studyUid}`,
 * `{seriesUid}` and `{wadoRsBase}` (the address of the study's Endpoint, for WADO-RS) are
 * replaced, URL-encoded (`{wadoRsBase}` as is: it is itself a URL). For example an OHIF viewer:
 * `https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}`, or WADO-RS:
 * `{wadoRsBase}/studies/{studyUid}/series/{seriesUid}`.
 */
export interface ViewerTarget {
  studyUid: string | null;
  seriesUid: string | null;
  wadoRsBase: string | null;
}

/** The filled template, or null when it names a value the result lacks or yields no http(s) URL. */
export function viewerUrlOf(template: string | undefined, target: ViewerTarget): string | null {
  if (template === undefined || template === "") return null;
  let missing = false;
  const filled = template.replace(/\{(studyUid|seriesUid|wadoRsBase)\}/g, (_m, name: keyof ViewerTarget) => {
    const value = target[name];
    if (value === null) {
      missing = true;
      return "";
    }
    return name === "wadoRsBase" ? value.replace(/\/+$/, "") : encodeURIComponent(value);
  });
  if (missing) return null;
  return isHttpUrl(filled) ? filled : null;
}

/** Only http(s) may become a link: a javascript: or data: URL from a template, an Endpoint or a
 * Media must never be one. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** A DICOM UID from an identifier value (`urn:oid:1.2.3` or `1.2.3`), or null. */
export function dicomUidOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  const uid = value.replace(/^urn:oid:/, "");
  return /^[0-9]+(\.[0-9]+)*$/.test(uid) && uid.length <= 64 ? uid : null;
}
