/** The message a synchronous call throws; fails the test when it does not throw. */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

/** An error and its causes, outermost first (a workflow failure's last cause is the activity's own words). */
export function causesOf(err: unknown): Error[] {
  return err instanceof Error ? [err, ...causesOf(err.cause)] : [];
}
