export declare function ensureYamlHost(): { binDir: string };
