/** The model card page's file name in the app's build, beside launch.html (model-card/vite-plugin.ts writes it). */
export const MODEL_CARD_PAGE = "model-card.html";
