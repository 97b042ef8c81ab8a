export declare function findPython(): { python: string; version: string };
export declare function ensurePythonVenv(options?: { log?: (line: string) => void }): {
  python: string;
  venv: string;
};
