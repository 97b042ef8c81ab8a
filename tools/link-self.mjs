// Makes `pulumi-nexla` resolvable from this checkout (node_modules/pulumi-nexla -> the repo root), the way it
// resolves in a user's project. The serialized dynamic provider loads the package by name at run time, from
// the program's directory (docs/pulumi.md A2), so examples and e2e stacks inside the repo need this link.
import { lstat, mkdir, readlink, rm, symlink } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const link = join(root, "node_modules", "pulumi-nexla");
const target = relative(dirname(link), root);
const current = await lstat(link).then(
  (s) => (s.isSymbolicLink() ? readlink(link) : "not-a-link"),
  () => undefined,
);
if (current !== target) {
  if (current !== undefined) await rm(link, { recursive: true, force: true });
  await mkdir(dirname(link), { recursive: true });
  await symlink(target, link, "dir");
}
