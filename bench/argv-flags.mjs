// Command-line flags of the bench scripts: `--name value` pairs taken out of an argv array, so
// that what is left are the positional arguments.

/** The value after `name` in `argv` (both removed), or `dflt` when `name` is absent. */
export function takeFlag(argv, name, dflt) {
  const i = argv.indexOf(name);
  if (i < 0) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
}
