/**
 * `tensornet subnet init <dir>`: writes a working example mechanism into a new or empty folder, from the
 * templates in `subnets/template/` (`X.tmpl` becomes `X`, `gitignore.tmpl` becomes `.gitignore`), with
 * the name, the `tensornet` dependency and the tool versions substituted.
 *
 * The example is JavaScript checked by TypeScript (`// @ts-check` + JSDoc): tensornet's CLI runs compiled
 * JavaScript and loads a mechanism with `require`, and `typescript` is only a development dependency here.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from '../../errors';
import type { CliIo } from '../../io';
import type { SubnetInitArgs } from './options';

/** What `defineSubnet` accepts as a name. */
const SUBNET_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const PLACEHOLDER = /__[A-Z][A-Z_]*__/;

/** What {@link scaffoldSubnet} wrote. */
export interface ScaffoldResult {
  /** The folder (absolute). */
  readonly dir: string;
  readonly name: string;
  /** The files written, in the folder. */
  readonly files: readonly string[];
  /** The `tensornet` dependency of the generated package.json (`file:<tensornet's folder>`). */
  readonly tensornetSpec: string;
}

interface PackageManifest {
  readonly name?: unknown;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

/**
 * The tensornet package's folder: the nearest folder above this module whose package.json is tensornet's
 * (from the sources, `cli/cmds/subnet/`, and from the build, `dist/cli/cmds/subnet/`).
 */
export function tensornetRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as PackageManifest).name === 'tensornet') return dir;
    if (dirname(dir) === dir) throw new Error(`no tensornet package.json above ${from}`);
  }
}

/** The folder of the templates. */
export function templateDir(root = tensornetRoot()): string {
  return join(root, 'subnets', 'template');
}

function usage(message: string): CliError {
  return new CliError('UsageError', message);
}

/** The mechanism name for `dir`: `--name`, else the folder's own name. @throws CliError `UsageError` */
function chooseName(dir: string, name: string | undefined): string {
  if (name !== undefined) {
    if (!SUBNET_NAME.test(name)) throw usage(`--name "${name}" is not a subnet name: 1-32 lowercase letters, digits or dashes, starting with a letter`);
    return name;
  }
  const folder = basename(dir);
  if (!SUBNET_NAME.test(folder)) throw usage(`the folder name "${folder}" is not a subnet name (1-32 lowercase letters, digits or dashes, starting with a letter): pass --name`);
  return folder;
}

/** Checks `dir` is new or an empty folder; creates it. @throws CliError `UsageError` */
function prepareDir(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw usage(`${dir} exists and is not a folder`);
    const entries = readdirSync(dir);
    if (entries.length > 0) throw usage(`${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}): subnet init writes only into a new or empty folder`);
    return;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw usage(`cannot create ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Fills the placeholders of one template; JSON files get JSON-escaped values. */
function fill(text: string, values: Readonly<Record<string, string>>, json: boolean): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) out = out.split(key).join(json ? JSON.stringify(value).slice(1, -1) : value);
  const left = PLACEHOLDER.exec(out);
  if (left !== null) throw new Error(`template placeholder ${left[0]} has no value`);
  return out;
}

/**
 * Writes the example mechanism into `dir` (created when missing; refused when not empty).
 * @throws CliError `UsageError` for a folder that is not empty or a name that is not a subnet name
 */
export function scaffoldSubnet(dirArg: string, options: { readonly name?: string; readonly root?: string } = {}): ScaffoldResult {
  const dir = resolve(dirArg);
  const name = chooseName(dir, options.name);
  const root = options.root ?? tensornetRoot();
  const templates = templateDir(root);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageManifest;
  const range = (deps: Readonly<Record<string, string>> | undefined, pkg: string): string => {
    const found = deps?.[pkg];
    if (found === undefined) throw new Error(`tensornet's package.json does not list ${pkg}`);
    return found;
  };
  const tensornetSpec = `file:${root}`;
  const values: Record<string, string> = {
    __SUBNET_NAME__: name,
    __TENSORNET_SPEC__: tensornetSpec,
    __ZOD_RANGE__: range(manifest.dependencies, 'zod'),
    __TYPESCRIPT_RANGE__: range(manifest.devDependencies, 'typescript'),
    __TYPES_NODE_RANGE__: range(manifest.devDependencies, '@types/node'),
  };
  const sources = readdirSync(templates).filter((file) => file.endsWith('.tmpl')).sort();
  // Every template is filled before anything is written, so a broken template leaves no half-made folder.
  const outputs = sources.map((source) => {
    const target = source === 'gitignore.tmpl' ? '.gitignore' : source.slice(0, -'.tmpl'.length);
    return { target, text: fill(readFileSync(join(templates, source), 'utf8'), values, target.endsWith('.json')) };
  });
  prepareDir(dir);
  for (const { target, text } of outputs) writeFileSync(join(dir, target), text, { flag: 'wx' });
  return Object.freeze({ dir, name, files: Object.freeze(outputs.map((o) => o.target).sort()), tensornetSpec });
}

export async function subnetInitHandler(args: SubnetInitArgs, io: CliIo): Promise<void> {
  const result = scaffoldSubnet(args.dir, args.name === undefined ? {} : { name: args.name });
  io.writeStdout(
    `created the ${result.name} mechanism in ${result.dir}: ${result.files.join(', ')}\n` +
      `next: cd ${result.dir} && npm install && npm test   (tensornet comes from ${result.tensornetSpec})\n` +
      `then: tensornet subnet create --mechanism ${result.dir} --wallet <owner wallet>\n`,
  );
}
