/** Where the project's files are: the repository root, found once, and paths under it. */
import * as fs from 'fs';
import * as path from 'path';

function isProjectRoot(dir: string): boolean {
  const pkg = path.join(dir, 'package.json');
  if (!fs.existsSync(pkg)) return false;
  try {
    return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'spurious-rewards-workbook';
  } catch {
    return false;
  }
}

function searchUp(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    if (isProjectRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * The repository root. Order: $SR_PROJECT_ROOT (set by the notebook kernel launcher), then the
 * folders above this source file, then the folders above the working directory. (Inside tslab,
 * module paths are virtual, so the environment variable is the reliable route.)
 */
export function projectRoot(): string {
  const env = process.env.SR_PROJECT_ROOT;
  if (env && isProjectRoot(env)) return path.resolve(env);
  const found = searchUp(__dirname) ?? searchUp(process.cwd());
  if (!found) throw new Error(`projectRoot: no package.json named spurious-rewards-workbook above ${__dirname} or ${process.cwd()}`);
  return found;
}

/** A path under the project root: the one way the library finds datasets/, checkpoints/, results/. */
export function projectPath(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
