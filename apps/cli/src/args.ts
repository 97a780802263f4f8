/** `--name value` and `--flag` pairs from argv; repeated names collect into a list. */
export function parseArgs(argv: string[]): Map<string, string[]> {
  const args = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? (argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'true');
    args.set(name, [...(args.get(name) ?? []), value]);
  }
  return args;
}

/** The one value of `--name VALUE`, or undefined when absent; a bare flag or a repeat is an error. */
export function valueOf(args: Map<string, string[]>, name: string, what = 'a value'): string | undefined {
  const values = args.get(name);
  if (!values) return undefined;
  if (values.length > 1) throw new Error(`--${name} is given ${values.length} times`);
  // parseArgs records a flag without a value as 'true'.
  if (values[0] === 'true') throw new Error(`--${name} needs ${what}`);
  return values[0];
}

/** Refuses names the command does not know, so a typo is not silently ignored. */
export function refuseUnknown(args: Map<string, string[]>, known: string[]): void {
  const unknown = [...args.keys()].filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.map((n) => `--${n}`).join(', ')} (known: ${known.map((n) => `--${n}`).join(', ')})`);
}
