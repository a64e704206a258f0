/** The part of dcmjs (no bundled types) the SR importer and its tests use. */
declare module "dcmjs" {
  interface DicomDictLike {
    dict: Record<string, unknown>;
    meta: Record<string, unknown>;
    write(): ArrayBuffer;
  }
  const dcmjs: {
    data: {
      DicomMessage: { readFile(buffer: ArrayBuffer, options?: Record<string, unknown>): DicomDictLike };
      DicomMetaDictionary: {
        naturalizeDataset(dict: Record<string, unknown>): Record<string, unknown>;
        uid(): string;
      };
      datasetToDict(dataset: Record<string, unknown>): DicomDictLike;
    };
  };
  export default dcmjs;
}
