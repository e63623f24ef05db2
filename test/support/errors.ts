/** The message a synchronous call throws; fails the test when it does not throw. */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}
