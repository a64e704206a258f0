/** Vite plugin: emits the model card as model-card.html beside launch.html in the app's build. */
import { readFileSync } from "node:fs";
import type { Plugin } from "vite";
import { MODEL_DISCLAIMER } from "../../shared/assess-risk.ts";
import { MODEL_CARD_PAGE } from "./model-card-file.ts";
import { modelCardPage } from "../../shared/model-card-page.ts";

export function modelCardPlugin(markdownPath: string): Plugin {
  return {
    name: "patella-model-card",
    apply: "build",
    generateBundle() {
      this.addWatchFile(markdownPath);
      this.emitFile({ type: "asset", fileName: MODEL_CARD_PAGE, source: modelCardPage(readFileSync(markdownPath, "utf8"), MODEL_DISCLAIMER) });
    },
  };
}
