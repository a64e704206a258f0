/**
 * Which of the codes the feature builder could not map ("system|code",
 * shared/valuesets/matching.ts codingKey) a run keeps and lists (the checkpoint, summary.html). A
 * site extends its mappings from them, so the codes are worth listing; but a coding's system and
 * code are text from the input, and a local coding may carry anything: an MRN, a name typed into
 * a system ("Doe^Jane"). Only the form code systems and codes have is kept:
 * - a system that is a URI, `http://`, `https://` or `urn:`, of at most 200 characters of
 *   letters, digits and `.-_~:/` (http://snomed.info/sct, urn:oid:2.16.840.1.113883.6.90);
 * - a code of at most 64 letters, digits and `.-_:` (SNOMED CT, ICD-10-CM, RxNorm, LOINC, and a
 *   site's local codes of the same form).
 * Any other code, one without a system too (it cannot be mapped by system), is counted, without
 * its text. A plain code can still be any number: the rule keeps what a mapping needs, and no
 * pattern tells a local code from an MRN.
 */

const URI_SYSTEM = /^(?:https?:\/\/|urn:)[A-Za-z0-9.\-_~:/]+$/;
const SYSTEM_MAX_LENGTH = 200;
const PLAIN_CODE = /^[A-Za-z0-9.\-_:]{1,64}$/;

/** Whether an unmapped code ("system|code") is kept and listed as it is. The system is what comes
 * before the first `|`: a `|` in either part leaves a code with a `|`, which is not plain. */
export function isShownCode(key: string): boolean {
  const bar = key.indexOf("|");
  return bar !== -1 && bar <= SYSTEM_MAX_LENGTH && URI_SYSTEM.test(key.slice(0, bar)) && PLAIN_CODE.test(key.slice(bar + 1));
}
