// What a build of dist/ depends on, and the stamp recording which inputs the current dist/ was built from.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Folders and files whose content goes into dist/ (sources, the spec and fixtures cached at build, compiler settings). */
const INPUTS = ['src', 'fixtures', 'openapi.yaml', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const STAMP = join('dist', '.build-inputs');

function files(root, entry) {
  const path = join(root, entry);
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name));
}

/** SHA-256 over every input file's path and content, in a fixed order. */
export function inputsDigest(root) {
  const hash = createHash('sha256');
  const all = INPUTS.flatMap((entry) => files(root, entry)).map((f) => relative(root, f).split('\\').join('/')).sort();
  for (const file of all) hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  return hash.digest('hex');
}

export function buildIsCurrent(root) {
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) return false;
  try {
    return readFileSync(join(root, STAMP), 'utf8').trim() === inputsDigest(root);
  } catch {
    return false;
  }
}

export function writeStamp(root) {
  writeFileSync(join(root, STAMP), inputsDigest(root) + '\n');
}
