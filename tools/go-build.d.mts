export declare function buildGoTool(tool: { script: string; binary: string; failure: string }): string;
