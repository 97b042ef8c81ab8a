import { describe, expect, it } from "vitest";
import {
  clientOptionsFromEnv,
  createNexlaClient,
  DEFAULT_API_URL,
  NexlaError,
} from "../../src/nexla/index.js";

function configurationMessage(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(NexlaError);
    expect((error as NexlaError).code).toBe("configuration");
    return (error as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("clientOptionsFromEnv", () => {
  it("reads a service key, with Nexla's default API URL", () => {
    expect(clientOptionsFromEnv({ NEXLA_SERVICE_KEY: "k" })).toEqual({
      baseUrl: DEFAULT_API_URL,
      auth: { serviceKey: "k" },
      allowInsecureHttp: false,
    });
    expect(DEFAULT_API_URL).toBe("https://dataops.nexla.io/nexla-api");
  });

  it("reads an access token and NEXLA_API_URL", () => {
    const env = { NEXLA_ACCESS_TOKEN: "t", NEXLA_API_URL: "https://acme.nexla.io/nexla-api" };
    expect(clientOptionsFromEnv(env)).toEqual({
      baseUrl: "https://acme.nexla.io/nexla-api",
      auth: { accessToken: "t" },
      allowInsecureHttp: false,
    });
  });

  it("treats empty values as unset", () => {
    const env = { NEXLA_SERVICE_KEY: "", NEXLA_ACCESS_TOKEN: "t", NEXLA_API_URL: "" };
    expect(clientOptionsFromEnv(env).auth).toEqual({ accessToken: "t" });
    expect(clientOptionsFromEnv(env).baseUrl).toBe(DEFAULT_API_URL);
  });

  it("refuses both credentials, saying to set only one", () => {
    expect(
      configurationMessage(() => clientOptionsFromEnv({ NEXLA_SERVICE_KEY: "k", NEXLA_ACCESS_TOKEN: "t" })),
    ).toBe(
      "Both NEXLA_SERVICE_KEY and NEXLA_ACCESS_TOKEN are set. Set only one: NEXLA_SERVICE_KEY is best for automation, because its session tokens are renewed automatically.",
    );
  });

  it("refuses no credentials, saying what to set", () => {
    expect(configurationMessage(() => clientOptionsFromEnv({}))).toBe(
      "No Nexla credentials. Set NEXLA_SERVICE_KEY to a Nexla service key (or NEXLA_ACCESS_TOKEN to a session token), or the nexla:serviceKey (or nexla:accessToken) stack config as a secret.",
    );
  });

  it("refuses an API URL that is not a URL, without echoing it", () => {
    const message = configurationMessage(() =>
      clientOptionsFromEnv({ NEXLA_SERVICE_KEY: "k", NEXLA_API_URL: "dataops.nexla.io/secret-ish" }),
    );
    expect(message).toBe(
      "NEXLA_API_URL is not a URL. Set it to Nexla's API base URL, e.g. https://dataops.nexla.io/nexla-api.",
    );
  });

  it("refuses credentials inside the API URL, without echoing them", () => {
    const message = configurationMessage(() =>
      clientOptionsFromEnv({
        NEXLA_SERVICE_KEY: "k",
        NEXLA_API_URL: "https://user:hunter2@acme.nexla.io/api",
      }),
    );
    expect(message).toBe(
      "NEXLA_API_URL must not hold credentials. Remove them from the URL and set NEXLA_SERVICE_KEY or NEXLA_ACCESS_TOKEN instead.",
    );
  });

  it("refuses plain http to a host that is not loopback, unless NEXLA_ALLOW_INSECURE_HTTP is set", () => {
    const env = { NEXLA_SERVICE_KEY: "k", NEXLA_API_URL: "http://nexla.internal:8080/api" };
    expect(configurationMessage(() => clientOptionsFromEnv(env))).toBe(
      "Refusing plain http to nexla.internal:8080: the credentials would cross the network unencrypted. Use https, or allow it explicitly (allowInsecureHttp, or NEXLA_ALLOW_INSECURE_HTTP=1).",
    );
    expect(clientOptionsFromEnv({ ...env, NEXLA_ALLOW_INSECURE_HTTP: "1" }).allowInsecureHttp).toBe(true);
  });
});

describe("createNexlaClient", () => {
  const auth = { accessToken: "t" };

  it("accepts plain http to loopback hosts", () => {
    for (const baseUrl of ["http://127.0.0.1:4000", "http://localhost:4000/api", "http://[::1]:4000"]) {
      expect(() => createNexlaClient({ baseUrl, auth })).not.toThrow();
    }
  });

  it("refuses plain http to other hosts unless allowInsecureHttp is true", () => {
    expect(
      configurationMessage(() => createNexlaClient({ baseUrl: "http://10.0.0.5/nexla-api", auth })),
    ).toBe(
      "Refusing plain http to 10.0.0.5: the credentials would cross the network unencrypted. Use https, or allow it explicitly (allowInsecureHttp, or NEXLA_ALLOW_INSECURE_HTTP=1).",
    );
    expect(() =>
      createNexlaClient({ baseUrl: "http://10.0.0.5/nexla-api", auth, allowInsecureHttp: true }),
    ).not.toThrow();
  });

  it("refuses other schemes and URLs with a query", () => {
    expect(configurationMessage(() => createNexlaClient({ baseUrl: "ftp://nexla.io", auth }))).toBe(
      "baseUrl must be an http(s) URL, not ftp:. Set it to Nexla's API base URL.",
    );
    expect(configurationMessage(() => createNexlaClient({ baseUrl: "https://nexla.io/api?x=1", auth }))).toBe(
      "baseUrl must not have a query or fragment. Set it to Nexla's API base URL.",
    );
  });

  it("names every invalid number at once, so a rate limit of 0 cannot hang every call", () => {
    const options = {
      baseUrl: "https://acme.nexla.io",
      auth,
      timeoutMs: 0,
      retry: { limit: 1.5, maxDelayMs: -1 },
      rateLimit: { writesPerSecond: 0 },
    };
    expect(configurationMessage(() => createNexlaClient(options))).toBe(
      "Invalid client options: timeoutMs must be a number above 0, not 0; retry.limit must be a whole number >= 0, not 1.5; retry.maxDelayMs must be a number >= 0, not -1; rateLimit.writesPerSecond must be a number above 0, not 0.",
    );
  });
});
