/**
 * Text from outside (a FHIR server's display or title, a DICOM label, a server's error) as it is
 * shown or quoted: control characters (a terminal's escape sequences among them) as "?", and
 * cut at `max` characters, so that an enormous value cannot swamp a page or a log line.
 */
export function clipped(value: string, max: number): string {
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}

/** The longest name or title from a FHIR server the SMART app shows (a code's display, a study's title). */
export const MAX_DISPLAY_CHARS = 120;
