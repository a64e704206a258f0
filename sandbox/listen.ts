/** Starts listening, turning "port in use" into a message that says what to do. */
import type { Server } from "node:http";

export async function listen(server: Server, port: number, host: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (err.code === "EADDRINUSE")
        reject(new Error(`Port ${port} on ${host} is already in use, so the ${what} cannot start. Stop whatever uses it, or choose another port (see sandbox/README.md).`));
      else reject(err);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}
