/**
 * npm run imaging:import -- FILE... (--fhir BASE | --out FILE)
 *
 * Reads DICOM SR files (TID 1500) of imaging AI results and posts their FHIR resources to BASE
 * as one transaction, or writes the transaction Bundle to FILE. Every file is read before
 * anything is sent: a malformed file stops the import with its name, and nothing is posted.
 * Unknown templates, codes and algorithms are listed and skipped. A bearer token for the FHIR
 * server, if it needs one, comes from the environment variable PATELLA_FHIR_TOKEN.
 */
import { runImport } from "./import-command.ts";

process.exitCode = await runImport(process.argv.slice(2));
