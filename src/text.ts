/**
 * The one way text from Nexla (or a flag, or a Flow's resource name, which export may have written from a Nexla
 * name) reaches a file export writes or a line the provider logs. Nexla names are free text, and the file is
 * code, and a log is what a reviewer reads: JavaScript ends a `//` comment at U+2028 and U+2029 as well as at a newline (issue 19: a flow
 * named `x<U+2028>code<U+2028>//` ran `code` on `pulumi up`), and bidirectional controls make an editor show a
 * reader a different line than the one that runs (Trojan Source, CVE-2021-42574).
 */

/**
 * Controls (Cc), format characters (Cf, the bidi controls among them), line and paragraph separators (Zl,
 * Zp), lone surrogates (Cs, which no UTF-8 file can hold) and unassigned code points (Cn, which a newer
 * Unicode may make any of these).
 */
const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Cn}]/gu;

/**
 * `text` with every unsafe character written as `\u{XXXX}`: what a comment shows, and what a string
 * literal needs. The result holds no line terminator, no bidi control and no other invisible character.
 */
export function visible(text: string): string {
  return text.replace(unsafe, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase()}}`);
}

/**
 * A JavaScript string literal whose value is exactly `text`: JSON.stringify escapes quotes, backslashes and
 * C0 controls; `\u{XXXX}` is a valid escape in a string literal too, so `visible` keeps the value and
 * removes what JSON leaves raw (U+2028, U+2029, DEL, C1 controls, format characters).
 */
export function stringLiteral(text: string): string {
  return visible(JSON.stringify(text));
}

/**
 * A Pulumi YAML string value that Pulumi YAML reads back as exactly `text`. It reads every string value as a
 * template: `${...}` is an interpolation (a flow named `${orders.status}` would read another resource's
 * output) and `$$` is one `$` (pulumi-yaml, `parseInterpolate` in pkg/pulumiyaml/ast/interpolation.go). So
 * every `$` is doubled, as pulumi-yaml writes templates back itself: escaping only `${` is not enough, since
 * `$${x}` would become `$$${x}`, which reads as `$` followed by an interpolation.
 */
export function pulumiYamlString(text: string): string {
  return text.replaceAll("$", () => "$$");
}
