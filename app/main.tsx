/**
 * The app's entry: starts loading the models in the background (a worker, WASM from the app's
 * own build), completes the SMART launch once (FHIR.oauth2.ready), then renders.
 */
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { loadBrowserModels } from "./risk/browser-models.ts";
import { MODEL_CARD_PAGE } from "./model-card/model-card-file.ts";
import { applyEhrStyle } from "./smart/ehr-style.ts";
import { loadRuntimeConfig, RUNTIME_CONFIG_FILE } from "./smart/runtime-config.ts";
import { AuthorizationError, SessionLostError, startSession } from "./smart/session.ts";
import { AuthorizationFailed } from "./views/AuthorizationFailed.tsx";
import { SessionLost } from "./views/SessionLost.tsx";
import "./app.css";

const root = createRoot(document.getElementById("root") as HTMLElement);

/** The config and the built model card page sit beside launch.html, one folder up (vite.config.ts). */
const besideLaunch = (file: string) => new URL(`../${file}`, window.location.href).toString();

/** The site's model card (loadRuntimeConfig resolves it beside launch.html, as launch.ts's
 * redirectUri; its default is the page built into the app) and image viewer template. The
 * launch already checked the config, so a failure here only means the defaults. */
const siteLinks = loadRuntimeConfig(besideLaunch(RUNTIME_CONFIG_FILE)).then(
  (config) => ({ modelCardUrl: config.modelCardUrl, imagingViewerUrl: config.imagingViewerUrl, imagingImageOrigins: config.imagingImageOrigins }),
  () => ({ modelCardUrl: besideLaunch(MODEL_CARD_PAGE), imagingViewerUrl: undefined, imagingImageOrigins: undefined }),
);

// The models (a 14 MB WASM runtime, compiled in a worker) load while the launch completes and the
// record is read: they, not the FHIR queries, are the longest wait before the risk. Their failure
// is shown by the risk section; without a session they are simply not used.
const models = loadBrowserModels();
models.catch(() => undefined);

startSession().then(
  async (session) => {
    performance.mark("patella:session-ready");
    if (session.styleUrl !== undefined) applyEhrStyle(session.styleUrl, document.documentElement).catch(() => undefined);
    const { modelCardUrl, imagingViewerUrl, imagingImageOrigins } = await siteLinks;
    root.render(
      <App
        session={session}
        models={models}
        modelCardUrl={modelCardUrl}
        {...(imagingViewerUrl !== undefined && { imagingViewerUrl })}
        {...(imagingImageOrigins !== undefined && { imagingImageOrigins })}
      />,
    );
  },
  (err: Error) =>
    root.render(
      err instanceof AuthorizationError ? <AuthorizationFailed error={err} /> : <SessionLost message={err instanceof SessionLostError ? err.message : String(err)} />,
    ),
);
