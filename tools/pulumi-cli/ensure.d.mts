export declare function sdkVersion(): string;
export declare function pluginDir(): string;
export declare function ensurePulumi(options?: { log?: (line: string) => void }): {
  binDir: string;
  version: string;
  source: "path" | "cache";
};
