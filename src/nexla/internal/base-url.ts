/**
 * The base URL, checked before any credential is sent: an absolute http(s) URL without user info, and plain
 * http only to a loopback host unless explicitly allowed (Nexla itself refuses non-HTTPS in production, SRV
 * api_controller.rb#authenticate, but only after the token has crossed the network).
 */
import { NexlaError } from "../errors.js";

const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

const fail = (message: string) => new NexlaError(message, { code: "configuration" });

export function checkBaseUrl(raw: string, allowInsecureHttp: boolean, name = "baseUrl"): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail(
      `${name} is not a URL. Set it to Nexla's API base URL, e.g. https://dataops.nexla.io/nexla-api.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw fail(`${name} must be an http(s) URL, not ${url.protocol}. Set it to Nexla's API base URL.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw fail(
      `${name} must not hold credentials. Remove them from the URL and set NEXLA_SERVICE_KEY or NEXLA_ACCESS_TOKEN instead.`,
    );
  }
  if (url.search !== "" || url.hash !== "") {
    throw fail(`${name} must not have a query or fragment. Set it to Nexla's API base URL.`);
  }
  if (url.protocol === "http:" && !loopback.test(url.hostname) && !allowInsecureHttp) {
    throw fail(
      `Refusing plain http to ${url.host}: the credentials would cross the network unencrypted. Use https, or allow it explicitly (allowInsecureHttp, or NEXLA_ALLOW_INSECURE_HTTP=1).`,
    );
  }
  return url;
}
