/** Prints the feature layout of shared/features/spec.ts as JSON, so the Python training tools
 * (fake_features.py) can write tensors in the exact layout without duplicating it. */
import { CHANNELS, FEATURE_SPEC_VERSION, STATIC_FEATURES, WEEKS } from "../../shared/features/spec.ts";

const spec = {
  feature_spec_version: FEATURE_SPEC_VERSION,
  channels: CHANNELS.map((channel) => channel.id),
  static_features: [...STATIC_FEATURES],
  weeks: WEEKS,
};
process.stdout.write(JSON.stringify(spec) + "\n");
