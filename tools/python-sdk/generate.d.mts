export declare const root: string;
export declare const sdkDir: string;
export declare function ensureSdkGenerator(): string;
export declare function generatePythonSdk(options: { schema: unknown; out: string }): Promise<void>;
export declare function sdkFiles(dir: string): Map<string, string>;
export declare function sdkDifferences(committed: string, fresh: string): string[];
