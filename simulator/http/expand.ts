// REST v1 `expand=a.b,c`: which parts of an object the caller asked to be filled in.

export class Expand {
  private readonly paths: string[];

  constructor(raw: string | null | undefined, paths?: string[]) {
    this.paths =
      paths ??
      (raw ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
  }

  /** True when `path` or something below it was asked for (`body` is implied by `body.view`). */
  has(path: string): boolean {
    return this.paths.some((p) => p === path || p.startsWith(`${path}.`));
  }

  /** The expansions below `prefix`, e.g. under('version') of `version.by` is `by`. */
  under(prefix: string): Expand {
    return new Expand(
      null,
      this.paths.filter((p) => p.startsWith(`${prefix}.`)).map((p) => p.slice(prefix.length + 1)),
    );
  }
}
