/**
 * A child process for the shutdown test: cds-service/server.ts's listen() serving GET /work
 * (40 ms each), closed gracefully on SIGTERM as run-worker.ts does. Prints its URL, "closing"
 * when the signal arrives and "closed" when close() resolved. In its own process so that the clients' load does not stall
 * the server's event loop.
 */
import express from "express";
import { listen } from "../../../cds-service/server.ts";

const app = express();
app.get("/work", (_req, res) => void setTimeout(() => res.json({ ok: true }), 40));
const running = await listen(app, { port: 0, host: "127.0.0.1" });
console.log(`listening ${running.url}`);
process.on("SIGTERM", () => {
  console.log("closing");
  void running.close(5_000).then(() => {
    console.log("closed");
    process.exit(0);
  });
});
