/** Starts listening, turning "port in use" into a message that says what to do. */
import type { Server } from "node:http";

/**
 * The message of a "port in use" error with the setting that chooses that port added (`npm
 * start`: the servers know their port, not the environment variable that set it).
 */
export function withPortSetting(message: string, settings: Readonly<Record<string, number>>): string {
  const port = /^Port (\d+) on /.exec(message)?.[1];
  const setting = Object.entries(settings).find(([, value]) => String(value) === port)?.[0];
  return setting === undefined ? message : `${message} The setting for this port: ${setting}.`;
}

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
