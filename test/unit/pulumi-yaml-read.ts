/** How Pulumi YAML reads the strings of a program: for tests of what export writes for it. */

/**
 * A string value as Pulumi YAML reads it: `$$` is `$`, and `${` starts an interpolation (pulumi-yaml's
 * `parseInterpolate`, pkg/pulumiyaml/ast/interpolation.go); `undefined` when it would interpolate.
 */
export function pulumiYamlRead(value: string): string | undefined {
  let text = "";
  for (let i = 0; i < value.length;) {
    if (value.startsWith("$$", i)) {
      text += "$";
      i += 2;
    } else if (value.startsWith("${", i)) return undefined;
    else {
      text += value[i];
      i += 1;
    }
  }
  return text;
}

/** Every string value in `value`, a parsed document (keys are names, not values: Pulumi YAML does not read them so). */
export function pulumiYamlStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(pulumiYamlStrings);
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(pulumiYamlStrings);
}
