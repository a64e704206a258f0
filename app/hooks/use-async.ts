/** The state of one promise-producing computation, re-run when its inputs change. */
import { useEffect, useState } from "react";

export type AsyncState<T> = { status: "pending" } | { status: "done"; value: T } | { status: "failed"; error: Error };

export function useAsync<T>(run: () => Promise<T> | undefined, inputs: readonly unknown[]): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: "pending" });
  useEffect(() => {
    let current = true;
    const promise = run();
    if (promise === undefined) return;
    setState({ status: "pending" });
    promise.then(
      (value) => current && setState({ status: "done", value }),
      (error: unknown) => current && setState({ status: "failed", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, inputs);
  return state;
}
