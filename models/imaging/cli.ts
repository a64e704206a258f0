/**
 * `npm run imaging:import`: how to call it is import-command.ts's USAGE and HELP (`-- --help`).
 *
 * Reads DICOM SR files (TID 1500) of imaging AI results and posts their FHIR resources to BASE
 * as one transaction, or writes the transaction Bundle to FILE. Every file is read before
 * anything is sent: a malformed file stops the import with its name, and nothing is posted.
 * Unknown templates, codes and algorithms are listed and skipped. The FHIR server is reached as
 * a SMART Backend Services client (its id and private JWK file, as for the population job)
 * asking for system/ create and update scopes of the types it writes, and search of
 * ImagingStudy: a Study UID the server holds for another patient is refused (import-server.ts).
 */
import { runImport } from "./import-command.ts";

process.exitCode = await runImport(process.argv.slice(2));
