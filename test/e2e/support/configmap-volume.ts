// A directory laid out as the kubelet lays out a ConfigMap, Secret or projected volume
// (pkg/volume/util/atomic_writer.go): the files live in a timestamped `..<time>` directory,
// `..data` links to it, and each visible file is a link `name → ..data/name`. An update writes a
// new timestamped directory and swaps `..data` with one rename, so the visible files never change
// themselves — only dot-entries do.
import { mkdir, readlink, rename, rm, symlink, unlink, writeFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

let generation = 0;

/** Creates or updates the volume at `dir` to hold exactly `files` (name → content). */
export async function writeConfigMapVolume(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const previous = await readlink(join(dir, '..data')).catch(() => undefined);
  const stamp = `..${new Date().toISOString().replace(/[-:.TZ]/g, '_')}${process.pid}_${++generation}`;
  await mkdir(join(dir, stamp));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, stamp, name), content);
  await symlink(stamp, join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  const visible = (await readdir(dir)).filter((name) => !name.startsWith('..'));
  for (const name of Object.keys(files)) if (!visible.includes(name)) await symlink(join('..data', name), join(dir, name));
  for (const name of visible) if (!(name in files)) await unlink(join(dir, name));
  if (previous !== undefined) await rm(join(dir, previous), { recursive: true, force: true });
}
