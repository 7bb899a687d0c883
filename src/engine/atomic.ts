/**
 * Replacing a file: write a temporary file beside it, flush it, rename it over the target. A kill
 * at any point leaves either the old file or the new one, never a truncated mix (rename within
 * one directory is atomic), and a write that fails leaves the old file and no temporary one.
 */
import * as fs from 'fs';
import * as path from 'path';

let counter = 0;

export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}-${counter++}`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd); // the rename must not reach the disk before the data does
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`${file}: could not write (${(e as Error).message})`);
  }
}
